#pragma once

// OffsetCommit (key 8), v1-7: a group member stores consumed positions.
// v1 carries a per-partition commit timestamp; v2-4 a retention time.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct OffsetCommitRequest {
  static constexpr ApiKey kApiKey = ApiKey::offset_commit;
  struct Topic {
    struct Partition {
      std::int32_t partition_index = 0;
      std::int64_t committed_offset = 0;
      std::int32_t committed_leader_epoch = -1;  // v6+
      std::int64_t commit_timestamp = -1;  // v1
      std::optional<std::string> committed_metadata;
      bool operator==(const Partition&) const = default;
    };
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::string group_id;
  std::int32_t generation_id_or_member_epoch = -1;
  std::string member_id;
  std::optional<std::string> group_instance_id;  // v7+
  std::int64_t retention_time_ms = -1;  // v2-4
  std::vector<Topic> topics;
  bool operator==(const OffsetCommitRequest&) const = default;
};

struct OffsetCommitResponse {
  static constexpr ApiKey kApiKey = ApiKey::offset_commit;
  struct Topic {
    struct Partition {
      std::int32_t partition_index = 0;
      std::int16_t error_code = 0;
      bool operator==(const Partition&) const = default;
    };
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v3+
  std::vector<Topic> topics;
  bool operator==(const OffsetCommitResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, OffsetCommitRequest& out);
void write(Writer& out, std::int16_t version, const OffsetCommitRequest& in);
void read(Reader& in, std::int16_t version, OffsetCommitResponse& out);
void write(Writer& out, std::int16_t version, const OffsetCommitResponse& in);

}  // namespace strata::kafka
