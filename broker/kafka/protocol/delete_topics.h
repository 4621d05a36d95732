#pragma once

// DeleteTopics (key 20), v1-3: delete topics by name.

#include <cstdint>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct DeleteTopicsRequest {
  static constexpr ApiKey kApiKey = ApiKey::delete_topics;
  std::vector<std::string> topic_names;
  std::int32_t timeout_ms = 0;
  bool operator==(const DeleteTopicsRequest&) const = default;
};

struct DeleteTopicsResponse {
  static constexpr ApiKey kApiKey = ApiKey::delete_topics;
  struct Topic {
    std::string name;
    std::int16_t error_code = 0;
    bool operator==(const Topic&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v1+
  std::vector<Topic> responses;
  bool operator==(const DeleteTopicsResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, DeleteTopicsRequest& out);
void write(Writer& out, std::int16_t version, const DeleteTopicsRequest& in);
void read(Reader& in, std::int16_t version, DeleteTopicsResponse& out);
void write(Writer& out, std::int16_t version, const DeleteTopicsResponse& in);

}  // namespace strata::kafka
