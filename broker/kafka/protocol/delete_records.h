#pragma once

// DeleteRecords (key 21), v0-2: move partitions' log start offsets forward
// (what Kafka Streams does to its repartition topics after each commit).

#include <cstdint>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct DeleteRecordsRequest {
  static constexpr ApiKey kApiKey = ApiKey::delete_records;
  struct Partition {
    std::int32_t partition_index = 0;
    std::int64_t offset = 0;  // delete every record below it; -1: the high watermark
    bool operator==(const Partition&) const = default;
  };
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::vector<Topic> topics;
  std::int32_t timeout_ms = 0;
  bool operator==(const DeleteRecordsRequest&) const = default;
};

struct DeleteRecordsResponse {
  static constexpr ApiKey kApiKey = ApiKey::delete_records;
  struct Partition {
    std::int32_t partition_index = 0;
    std::int64_t low_watermark = -1;  // the log start offset afterwards
    std::int16_t error_code = 0;
    bool operator==(const Partition&) const = default;
  };
  struct Topic {
    std::string name;
    std::vector<Partition> partitions;
    bool operator==(const Topic&) const = default;
  };
  std::int32_t throttle_time_ms = 0;
  std::vector<Topic> topics;
  bool operator==(const DeleteRecordsResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, DeleteRecordsRequest& out);
void write(Writer& out, std::int16_t version, const DeleteRecordsRequest& in);
void read(Reader& in, std::int16_t version, DeleteRecordsResponse& out);
void write(Writer& out, std::int16_t version, const DeleteRecordsResponse& in);

}  // namespace strata::kafka
