#pragma once

// SyncGroup (key 14), v0-3: the leader hands out assignments (followers send
// none); every member receives its own. Assignment bytes are opaque.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"
#include "common/bytes.h"

namespace strata::kafka {

struct SyncGroupRequest {
  static constexpr ApiKey kApiKey = ApiKey::sync_group;
  struct Assignment {
    std::string member_id;
    Buffer assignment;
    bool operator==(const Assignment&) const = default;
  };
  std::string group_id;
  std::int32_t generation_id = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;  // v3+
  std::vector<Assignment> assignments;
  bool operator==(const SyncGroupRequest&) const = default;
};

struct SyncGroupResponse {
  static constexpr ApiKey kApiKey = ApiKey::sync_group;
  std::int32_t throttle_time_ms = 0;  // v1+
  std::int16_t error_code = 0;
  Buffer assignment;
  bool operator==(const SyncGroupResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, SyncGroupRequest& out);
void write(Writer& out, std::int16_t version, const SyncGroupRequest& in);
void read(Reader& in, std::int16_t version, SyncGroupResponse& out);
void write(Writer& out, std::int16_t version, const SyncGroupResponse& in);

}  // namespace strata::kafka
