#pragma once

// DescribeGroups (key 15), v0-4: state, protocol and members of groups.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"
#include "common/bytes.h"

namespace strata::kafka {

struct DescribeGroupsRequest {
  static constexpr ApiKey kApiKey = ApiKey::describe_groups;
  std::vector<std::string> groups;
  bool include_authorized_operations = false;  // v3+
  bool operator==(const DescribeGroupsRequest&) const = default;
};

struct DescribeGroupsResponse {
  static constexpr ApiKey kApiKey = ApiKey::describe_groups;
  struct Group {
    struct Member {
      std::string member_id;
      std::optional<std::string> group_instance_id;  // v4+
      std::string client_id;
      std::string client_host;
      Buffer member_metadata;
      Buffer member_assignment;
      bool operator==(const Member&) const = default;
    };
    std::int16_t error_code = 0;
    std::string group_id;
    std::string group_state;
    std::string protocol_type;
    std::string protocol_data;
    std::vector<Member> members;
    std::int32_t authorized_operations = INT32_MIN;  // v3+
    bool operator==(const Group&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v1+
  std::vector<Group> groups;
  bool operator==(const DescribeGroupsResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, DescribeGroupsRequest& out);
void write(Writer& out, std::int16_t version, const DescribeGroupsRequest& in);
void read(Reader& in, std::int16_t version, DescribeGroupsResponse& out);
void write(Writer& out, std::int16_t version, const DescribeGroupsResponse& in);

}  // namespace strata::kafka
