#pragma once

// CreatePartitions (key 37), v0-1: raise topics' partition counts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct CreatePartitionsRequest {
  static constexpr ApiKey kApiKey = ApiKey::create_partitions;
  struct Topic {
    struct Assignment {
      std::vector<std::int32_t> broker_ids;
      bool operator==(const Assignment&) const = default;
    };
    std::string name;
    std::int32_t count = 0;
    std::optional<std::vector<Assignment>> assignments;
    bool operator==(const Topic&) const = default;
  };
  std::vector<Topic> topics;
  std::int32_t timeout_ms = 0;
  bool validate_only = false;
  bool operator==(const CreatePartitionsRequest&) const = default;
};

struct CreatePartitionsResponse {
  static constexpr ApiKey kApiKey = ApiKey::create_partitions;
  struct Result {
    std::string name;
    std::int16_t error_code = 0;
    std::optional<std::string> error_message;
    bool operator==(const Result&) const = default;
  };
  std::int32_t throttle_time_ms = 0;
  std::vector<Result> results;
  bool operator==(const CreatePartitionsResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, CreatePartitionsRequest& out);
void write(Writer& out, std::int16_t version, const CreatePartitionsRequest& in);
void read(Reader& in, std::int16_t version, CreatePartitionsResponse& out);
void write(Writer& out, std::int16_t version, const CreatePartitionsResponse& in);

}  // namespace strata::kafka
