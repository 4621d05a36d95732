#pragma once

// ListGroups (key 16), v0-4 (flexible from v3): the groups this coordinator
// owns, optionally filtered by state (v4+).

#include <cstdint>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct ListGroupsRequest {
  static constexpr ApiKey kApiKey = ApiKey::list_groups;
  std::vector<std::string> states_filter;  // v4+
  bool operator==(const ListGroupsRequest&) const = default;
};

struct ListGroupsResponse {
  static constexpr ApiKey kApiKey = ApiKey::list_groups;
  struct Group {
    std::string group_id;
    std::string protocol_type;
    std::string group_state;  // v4+
    bool operator==(const Group&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v1+
  std::int16_t error_code = 0;
  std::vector<Group> groups;
  bool operator==(const ListGroupsResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, ListGroupsRequest& out);
void write(Writer& out, std::int16_t version, const ListGroupsRequest& in);
void read(Reader& in, std::int16_t version, ListGroupsResponse& out);
void write(Writer& out, std::int16_t version, const ListGroupsResponse& in);

}  // namespace strata::kafka
