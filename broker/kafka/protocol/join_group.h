#pragma once

// JoinGroup (key 11), v0-5: a member joins a classic group and offers its
// protocols; the leader's response lists every member.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"
#include "common/bytes.h"

namespace strata::kafka {

struct JoinGroupRequest {
  static constexpr ApiKey kApiKey = ApiKey::join_group;
  struct Protocol {
    std::string name;
    Buffer metadata;
    bool operator==(const Protocol&) const = default;
  };
  std::string group_id;
  std::int32_t session_timeout_ms = 0;
  std::int32_t rebalance_timeout_ms = -1;  // v1+
  std::string member_id;
  std::optional<std::string> group_instance_id;  // v5+
  std::string protocol_type;
  std::vector<Protocol> protocols;
  bool operator==(const JoinGroupRequest&) const = default;
};

struct JoinGroupResponse {
  static constexpr ApiKey kApiKey = ApiKey::join_group;
  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;  // v5+
    Buffer metadata;
    bool operator==(const Member&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v2+
  std::int16_t error_code = 0;
  std::int32_t generation_id = -1;
  std::string protocol_name;
  std::string leader;
  std::string member_id;
  std::vector<Member> members;
  bool operator==(const JoinGroupResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, JoinGroupRequest& out);
void write(Writer& out, std::int16_t version, const JoinGroupRequest& in);
void read(Reader& in, std::int16_t version, JoinGroupResponse& out);
void write(Writer& out, std::int16_t version, const JoinGroupResponse& in);

}  // namespace strata::kafka
