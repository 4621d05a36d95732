#pragma once

// ListOffsets (key 2), v1-5: the offset for a timestamp per partition;
// timestamp -2 = earliest, -1 = latest.

#include <cstdint>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct ListOffsetsRequest {
  static constexpr ApiKey kApiKey = ApiKey::list_offsets;
  struct Topic {
    struct Partition {
      std::int32_t partition_index = 0;
      std::int64_t timestamp = 0;
      std::int32_t current_leader_epoch = -1;  // v4+ (on the wire before timestamp)
      bool operator==(const Partition&) const = default;
    };
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::int32_t replica_id = -1;
  std::int8_t isolation_level = 0;  // v2+
  std::vector<Topic> topics;
  bool operator==(const ListOffsetsRequest&) const = default;
};

struct ListOffsetsResponse {
  static constexpr ApiKey kApiKey = ApiKey::list_offsets;
  struct Topic {
    struct Partition {
      std::int32_t partition_index = 0;
      std::int16_t error_code = 0;
      std::int64_t timestamp = -1;
      std::int64_t offset = -1;
      std::int32_t leader_epoch = -1;  // v4+
      bool operator==(const Partition&) const = default;
    };
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::int32_t throttle_time_ms = 0;  // v2+
  std::vector<Topic> topics;
  bool operator==(const ListOffsetsResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, ListOffsetsRequest& out);
void write(Writer& out, std::int16_t version, const ListOffsetsRequest& in);
void read(Reader& in, std::int16_t version, ListOffsetsResponse& out);
void write(Writer& out, std::int16_t version, const ListOffsetsResponse& in);

}  // namespace strata::kafka
