#pragma once

// Metadata (key 3), v0-9 (flexible from v9): brokers, topics, partition
// leaders, leader epochs (v7+) and replicas. v0: an empty topic list means
// all topics; v1+: null means all, empty none. Authorized operations (v8+)
// are never computed: Strata has no ACLs, so it answers Kafka's "not
// requested" value.

#include <limits>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct MetadataRequest {
  static constexpr ApiKey kApiKey = ApiKey::metadata;
  struct Topic {
    std::string name;
    bool operator==(const Topic&) const = default;
  };
  // nullable v1+; v0: empty = all topics; v1+: null = all
  std::optional<std::vector<Topic>> topics;
  bool allow_auto_topic_creation = true;  // v4+
  bool include_cluster_authorized_operations = false;  // v8-10
  bool include_topic_authorized_operations = false;    // v8+
  bool operator==(const MetadataRequest&) const = default;
};

struct MetadataResponse {
  static constexpr ApiKey kApiKey = ApiKey::metadata;
  // Kafka's authorized-operations value for "not computed".
  static constexpr std::int32_t kOperationsNotRequested = std::numeric_limits<std::int32_t>::min();
  struct Broker {
    std::int32_t node_id = 0;
    std::string host;
    std::int32_t port = 0;
    std::optional<std::string> rack;  // v1+
    bool operator==(const Broker&) const = default;
  };
  struct Topic {
    struct Partition {
      std::int16_t error_code = 0;
      std::int32_t partition_index = 0;
      std::int32_t leader_id = -1;
      std::int32_t leader_epoch = -1;  // v7+
      std::vector<std::int32_t> replica_nodes;
      std::vector<std::int32_t> isr_nodes;
      std::vector<std::int32_t> offline_replicas;  // v5+
      bool operator==(const Partition&) const = default;
    };
    std::int16_t error_code = 0;
    std::string name;
    bool is_internal = false;  // v1+
    std::vector<Partition> partitions;
    std::int32_t topic_authorized_operations = kOperationsNotRequested;  // v8+
    bool operator==(const Topic&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v3+
  std::vector<Broker> brokers;
  std::optional<std::string> cluster_id;  // v2+
  std::int32_t controller_id = -1;  // v1+
  std::vector<Topic> topics;
  std::int32_t cluster_authorized_operations = kOperationsNotRequested;  // v8-10
  bool operator==(const MetadataResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, MetadataRequest& out);
void write(Writer& out, std::int16_t version, const MetadataRequest& in);
void read(Reader& in, std::int16_t version, MetadataResponse& out);
void write(Writer& out, std::int16_t version, const MetadataResponse& in);

}  // namespace strata::kafka
