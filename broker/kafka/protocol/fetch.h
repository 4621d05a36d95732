#pragma once

// Fetch (key 1), v4-11: read record batches from partitions. Clients send
// session_id 0 / epoch -1 (sessionless). The records field of the response is
// borrowed: it must stay alive until the response is encoded.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"
#include "common/bytes.h"

namespace strata::kafka {

struct FetchRequest {
  static constexpr ApiKey kApiKey = ApiKey::fetch;
  struct Topic {
    struct Partition {
      std::int32_t partition = 0;
      std::int32_t current_leader_epoch = -1;  // v9+
      std::int64_t fetch_offset = 0;
      std::int64_t log_start_offset = -1;  // v5+
      std::int32_t partition_max_bytes = 0;
      bool operator==(const Partition&) const = default;
    };
    std::string topic;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  struct ForgottenTopic {
    std::string topic;
    std::vector<std::int32_t> partitions;
    bool operator==(const ForgottenTopic&) const = default;
  };
  std::int32_t replica_id = -1;
  std::int32_t max_wait_ms = 0;
  std::int32_t min_bytes = 0;
  std::int32_t max_bytes = 0x7fffffff;  // v3+
  std::int8_t isolation_level = 0;  // v4+
  std::int32_t session_id = 0;  // v7+
  std::int32_t session_epoch = -1;  // v7+
  std::vector<Topic> topics;
  std::vector<ForgottenTopic> forgotten_topics_data;  // v7+
  std::string rack_id;  // v11+
  bool operator==(const FetchRequest&) const = default;
};

struct FetchResponse {
  static constexpr ApiKey kApiKey = ApiKey::fetch;
  struct Topic {
    struct Partition {
      struct AbortedTransaction {
        std::int64_t producer_id = 0;
        std::int64_t first_offset = 0;
        bool operator==(const AbortedTransaction&) const = default;
      };
      std::int32_t partition_index = 0;
      std::int16_t error_code = 0;
      std::int64_t high_watermark = 0;
      std::int64_t last_stable_offset = -1;  // v4+
      std::int64_t log_start_offset = -1;  // v5+
      std::optional<std::vector<AbortedTransaction>> aborted_transactions;  // v4+
      std::int32_t preferred_read_replica = -1;  // v11+
      Records records;
      bool operator==(const Partition&) const = default;
    };
    std::string topic;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v1+
  std::int16_t error_code = 0;  // v7+
  std::int32_t session_id = 0;  // v7+
  std::vector<Topic> responses;
  bool operator==(const FetchResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, FetchRequest& out);
void write(Writer& out, std::int16_t version, const FetchRequest& in);
void read(Reader& in, std::int16_t version, FetchResponse& out);
void write(Writer& out, std::int16_t version, const FetchResponse& in);

}  // namespace strata::kafka
