#pragma once

// The RocksDB keys of LocalMetadataStore (docs/formats/metadata.md), and
// those of the layout before it, which local_metadata_migration reads.

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::replication::local_keys {

inline constexpr std::string_view kFormat = "meta/format";  // "1"
inline constexpr std::string_view kCurrentFormat = "1";
inline constexpr std::string_view kRevision = "meta/revision";
inline constexpr std::string_view kClusterId = "meta/cluster-id";
inline constexpr std::string_view kProducerIdNext = "meta/producer-ids/next";
inline constexpr std::string_view kTopicPrefix = "meta/topics/";
inline constexpr std::string_view kPartitionPrefix = "meta/partitions/";

inline std::string topic(std::string_view name) {
  return std::string(kTopicPrefix) + std::string(name);
}
// Topic names hold no '/', so "<name>/" bounds one topic's partitions.
inline std::string partitions_of(std::string_view name) {
  return std::string(kPartitionPrefix) + std::string(name) + "/";
}
inline std::string partition(std::string_view name, std::int32_t index) {
  return partitions_of(name) + std::to_string(index);
}

// The layout written before the metadata store existed (no format key).
inline constexpr std::string_view kLegacyClusterId = "cluster-id";
inline constexpr std::string_view kLegacyProducerIdNext = "producer-id-next";
inline constexpr std::string_view kLegacyTopicPrefix = "topics/";

}  // namespace strata::replication::local_keys
