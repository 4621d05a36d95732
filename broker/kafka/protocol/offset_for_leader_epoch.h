#pragma once

// OffsetForLeaderEpoch (key 23), v0-4 (flexible from v4): where a leader
// epoch ends in a partition's log (KIP-101, KIP-279), asked by followers and,
// from v2 on (with the current leader epoch to fence on), by consumers
// validating their position after a leader change (KIP-320).

#include <cstdint>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct OffsetForLeaderEpochRequest {
  static constexpr ApiKey kApiKey = ApiKey::offset_for_leader_epoch;
  // Consumers send -1 (v3+); the default -2 is a follower of an older version.
  static constexpr std::int32_t kDebuggingReplicaId = -2;
  struct Topic {
    struct Partition {
      std::int32_t partition = 0;
      std::int32_t current_leader_epoch = -1;  // v2+; -1: not checked
      std::int32_t leader_epoch = 0;
      bool operator==(const Partition&) const = default;
    };
    std::string topic;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::int32_t replica_id = kDebuggingReplicaId;  // v3+
  std::vector<Topic> topics;
  bool operator==(const OffsetForLeaderEpochRequest&) const = default;
};

struct OffsetForLeaderEpochResponse {
  static constexpr ApiKey kApiKey = ApiKey::offset_for_leader_epoch;
  struct Topic {
    struct Partition {
      std::int16_t error_code = 0;
      std::int32_t partition = 0;
      std::int32_t leader_epoch = -1;  // v1+
      std::int64_t end_offset = -1;
      bool operator==(const Partition&) const = default;
    };
    std::string topic;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v2+
  std::vector<Topic> topics;
  bool operator==(const OffsetForLeaderEpochResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, OffsetForLeaderEpochRequest& out);
void write(Writer& out, std::int16_t version, const OffsetForLeaderEpochRequest& in);
void read(Reader& in, std::int16_t version, OffsetForLeaderEpochResponse& out);
void write(Writer& out, std::int16_t version, const OffsetForLeaderEpochResponse& in);

}  // namespace strata::kafka
