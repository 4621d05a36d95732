#pragma once

// Heartbeat (key 12), v0-3: a group member says it is alive.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct HeartbeatRequest {
  static constexpr ApiKey kApiKey = ApiKey::heartbeat;
  std::string group_id;
  std::int32_t generation_id = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;  // v3+
  bool operator==(const HeartbeatRequest&) const = default;
};

struct HeartbeatResponse {
  static constexpr ApiKey kApiKey = ApiKey::heartbeat;
  std::int32_t throttle_time_ms = 0;  // v1+
  std::int16_t error_code = 0;
  bool operator==(const HeartbeatResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, HeartbeatRequest& out);
void write(Writer& out, std::int16_t version, const HeartbeatRequest& in);
void read(Reader& in, std::int16_t version, HeartbeatResponse& out);
void write(Writer& out, std::int16_t version, const HeartbeatResponse& in);

}  // namespace strata::kafka
