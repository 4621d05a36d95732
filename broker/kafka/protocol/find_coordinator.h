#pragma once

// FindCoordinator (key 10), v0-2: which broker coordinates a group
// (key_type 0) or a transactional id (key_type 1).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct FindCoordinatorRequest {
  static constexpr ApiKey kApiKey = ApiKey::find_coordinator;
  std::string key;
  std::int8_t key_type = 0;  // v1+
  bool operator==(const FindCoordinatorRequest&) const = default;
};

struct FindCoordinatorResponse {
  static constexpr ApiKey kApiKey = ApiKey::find_coordinator;
  std::int32_t throttle_time_ms = 0;  // v1+
  std::int16_t error_code = 0;
  std::optional<std::string> error_message;  // v1+
  std::int32_t node_id = -1;
  std::string host;
  std::int32_t port = -1;
  bool operator==(const FindCoordinatorResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, FindCoordinatorRequest& out);
void write(Writer& out, std::int16_t version, const FindCoordinatorRequest& in);
void read(Reader& in, std::int16_t version, FindCoordinatorResponse& out);
void write(Writer& out, std::int16_t version, const FindCoordinatorResponse& in);

}  // namespace strata::kafka
