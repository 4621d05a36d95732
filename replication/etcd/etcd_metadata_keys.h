#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The etcd keys of EtcdMetadataStore, under one prefix per cluster
// ("/strata/<cluster>/"). The same names as LocalMetadataStore's RocksDB
// keys, and the same record encoding (metadata_codec.h), so a record reads
// the same from either (docs/formats/metadata.md).
namespace strata::replication::etcd_keys {

inline std::string cluster_id(std::string_view root) { return std::string(root) + "meta/cluster-id"; }
inline std::string producer_id_next(std::string_view root) {
  return std::string(root) + "meta/producer-ids/next";
}
inline std::string topic_prefix(std::string_view root) { return std::string(root) + "meta/topics/"; }
inline std::string partition_prefix(std::string_view root) {
  return std::string(root) + "meta/partitions/";
}
inline std::string topic(std::string_view root, std::string_view name) {
  return topic_prefix(root) + std::string(name);
}
// Topic names hold no '/', so "<name>/" bounds one topic's partitions.
inline std::string partitions_of(std::string_view root, std::string_view name) {
  return partition_prefix(root) + std::string(name) + "/";
}
inline std::string partition(std::string_view root, std::string_view name, std::int32_t index) {
  return partitions_of(root, name) + std::to_string(index);
}

}  // namespace strata::replication::etcd_keys
