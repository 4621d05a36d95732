#pragma once

// LeaveGroup (key 13), v0-3: members leave a group (one member_id up to v2, a
// list of members from v3).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct LeaveGroupRequest {
  static constexpr ApiKey kApiKey = ApiKey::leave_group;
  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    bool operator==(const Member&) const = default;
  };
  std::string group_id;
  std::string member_id;  // v0-2
  std::vector<Member> members;  // v3+
  bool operator==(const LeaveGroupRequest&) const = default;
};

struct LeaveGroupResponse {
  static constexpr ApiKey kApiKey = ApiKey::leave_group;
  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::int16_t error_code = 0;
    bool operator==(const Member&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v1+
  std::int16_t error_code = 0;
  std::vector<Member> members;  // v3+
  bool operator==(const LeaveGroupResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, LeaveGroupRequest& out);
void write(Writer& out, std::int16_t version, const LeaveGroupRequest& in);
void read(Reader& in, std::int16_t version, LeaveGroupResponse& out);
void write(Writer& out, std::int16_t version, const LeaveGroupResponse& in);

}  // namespace strata::kafka
