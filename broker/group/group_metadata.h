#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace strata::broker {

// A group's persisted metadata, the value of its record in
// __consumer_offsets (docs/groups.md, "Group metadata record"): enough to
// bring the group back after a restart with its generation and protocol.
// A plain value.
struct GroupMetadataRecord {
  struct Member {
    std::string member_id;
    std::string client_id;
    std::string client_host;
    std::int32_t session_timeout_ms = 0;
    std::int32_t rebalance_timeout_ms = 0;
    std::string subscription;
    std::string assignment;
    bool operator==(const Member&) const = default;
  };
  std::int32_t generation_id = 0;
  std::string protocol_type;
  std::string protocol_name;
  std::string leader_id;
  std::vector<Member> members;
  bool operator==(const GroupMetadataRecord&) const = default;
};

// Version 0: u16 version, i32 generation, then strings (i32 length + bytes)
// protocol_type, protocol_name, leader_id, i32 member count, and per member
// member_id, client_id, client_host, i32 session timeout, i32 rebalance
// timeout, subscription, assignment. All big-endian.
std::string encode_group_metadata(const GroupMetadataRecord& record);
// Errors: corruption when truncated, of an unknown version, or with trailing
// bytes.
Result<GroupMetadataRecord> decode_group_metadata(std::string_view bytes);

}  // namespace strata::broker
