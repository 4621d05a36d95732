#pragma once

// Produce (key 0), v0-7: record batches to append. v0-2 decode (so that a
// handler can answer them) but are not served: they carry magic 0/1 message
// sets. The records field is borrowed from the request frame.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"
#include "common/bytes.h"

namespace strata::kafka {

struct ProduceRequest {
  static constexpr ApiKey kApiKey = ApiKey::produce;
  struct Topic {
    struct Partition {
      std::int32_t index = 0;
      Records records;
      bool operator==(const Partition&) const = default;
    };
    std::string name;
    std::vector<Partition> partition_data;
    bool operator==(const Topic&) const = default;
  };
  std::optional<std::string> transactional_id;  // v3+
  std::int16_t acks = 0;
  std::int32_t timeout_ms = 0;
  std::vector<Topic> topic_data;
  bool operator==(const ProduceRequest&) const = default;
};

struct ProduceResponse {
  static constexpr ApiKey kApiKey = ApiKey::produce;
  struct Topic {
    struct Partition {
      std::int32_t index = 0;
      std::int16_t error_code = 0;
      std::int64_t base_offset = 0;
      std::int64_t log_append_time_ms = -1;  // v2+
      std::int64_t log_start_offset = -1;  // v5+
      bool operator==(const Partition&) const = default;
    };
    std::string name;
    std::vector<Partition> partition_responses;
    bool operator==(const Topic&) const = default;
  };
  std::vector<Topic> responses;
  std::int32_t throttle_time_ms = 0;  // v1+
  bool operator==(const ProduceResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, ProduceRequest& out);
void write(Writer& out, std::int16_t version, const ProduceRequest& in);
void read(Reader& in, std::int16_t version, ProduceResponse& out);
void write(Writer& out, std::int16_t version, const ProduceResponse& in);

}  // namespace strata::kafka
