#pragma once

// OffsetFetch (key 9), v1-7 (flexible from v6): a group's committed offsets.
// Null topics (v2+) means every partition the group has committed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct OffsetFetchRequest {
  static constexpr ApiKey kApiKey = ApiKey::offset_fetch;
  struct Topic {
    std::string name;
    std::vector<std::int32_t> partition_indexes;
    bool operator==(const Topic&) const = default;
  };
  std::string group_id;
  std::optional<std::vector<Topic>> topics;  // nullable v2+
  bool require_stable = false;  // v7+
  bool operator==(const OffsetFetchRequest&) const = default;
};

struct OffsetFetchResponse {
  static constexpr ApiKey kApiKey = ApiKey::offset_fetch;
  struct Topic {
    struct Partition {
      std::int32_t partition_index = 0;
      std::int64_t committed_offset = -1;
      std::int32_t committed_leader_epoch = -1;  // v5+
      std::optional<std::string> metadata;
      std::int16_t error_code = 0;
      bool operator==(const Partition&) const = default;
    };
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v3+
  std::vector<Topic> topics;
  std::int16_t error_code = 0;  // v2+
  bool operator==(const OffsetFetchResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, OffsetFetchRequest& out);
void write(Writer& out, std::int16_t version, const OffsetFetchRequest& in);
void read(Reader& in, std::int16_t version, OffsetFetchResponse& out);
void write(Writer& out, std::int16_t version, const OffsetFetchResponse& in);

}  // namespace strata::kafka
