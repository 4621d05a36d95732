#pragma once

// DeleteGroups (key 42), v0-1: delete empty groups and their offsets.

#include <cstdint>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct DeleteGroupsRequest {
  static constexpr ApiKey kApiKey = ApiKey::delete_groups;
  std::vector<std::string> groups_names;
  bool operator==(const DeleteGroupsRequest&) const = default;
};

struct DeleteGroupsResponse {
  static constexpr ApiKey kApiKey = ApiKey::delete_groups;
  struct Result {
    std::string group_id;
    std::int16_t error_code = 0;
    bool operator==(const Result&) const = default;
  };
  std::int32_t throttle_time_ms = 0;
  std::vector<Result> results;
  bool operator==(const DeleteGroupsResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, DeleteGroupsRequest& out);
void write(Writer& out, std::int16_t version, const DeleteGroupsRequest& in);
void read(Reader& in, std::int16_t version, DeleteGroupsResponse& out);
void write(Writer& out, std::int16_t version, const DeleteGroupsResponse& in);

}  // namespace strata::kafka
