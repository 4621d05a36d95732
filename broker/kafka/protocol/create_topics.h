#pragma once

// CreateTopics (key 19), v2-4: create topics with a partition count and
// replication factor (-1 = broker default) or explicit assignments.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct CreateTopicsRequest {
  static constexpr ApiKey kApiKey = ApiKey::create_topics;
  struct Topic {
    struct Assignment {
      std::int32_t partition_index = 0;
      std::vector<std::int32_t> broker_ids;
      bool operator==(const Assignment&) const = default;
    };
    struct Config {
      std::string name;
      std::optional<std::string> value;
      bool operator==(const Config&) const = default;
    };
    std::string name;
    std::int32_t num_partitions = -1;
    std::int16_t replication_factor = -1;
    std::vector<Assignment> assignments;
    std::vector<Config> configs;
    bool operator==(const Topic&) const = default;
  };
  std::vector<Topic> topics;
  std::int32_t timeout_ms = 60000;
  bool validate_only = false;  // v1+
  bool operator==(const CreateTopicsRequest&) const = default;
};

struct CreateTopicsResponse {
  static constexpr ApiKey kApiKey = ApiKey::create_topics;
  struct Topic {
    std::string name;
    std::int16_t error_code = 0;
    std::optional<std::string> error_message;  // v1+
    bool operator==(const Topic&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v2+
  std::vector<Topic> topics;
  bool operator==(const CreateTopicsResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, CreateTopicsRequest& out);
void write(Writer& out, std::int16_t version, const CreateTopicsRequest& in);
void read(Reader& in, std::int16_t version, CreateTopicsResponse& out);
void write(Writer& out, std::int16_t version, const CreateTopicsResponse& in);

}  // namespace strata::kafka
