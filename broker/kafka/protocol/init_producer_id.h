#pragma once

// InitProducerId (key 22), v0-4 (flexible from v2): hands an idempotent or
// transactional producer its id and epoch.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct InitProducerIdRequest {
  static constexpr ApiKey kApiKey = ApiKey::init_producer_id;
  std::optional<std::string> transactional_id;
  std::int32_t transaction_timeout_ms = 0;
  std::int64_t producer_id = -1;  // v3+
  std::int16_t producer_epoch = -1;  // v3+
  bool operator==(const InitProducerIdRequest&) const = default;
};

struct InitProducerIdResponse {
  static constexpr ApiKey kApiKey = ApiKey::init_producer_id;
  std::int32_t throttle_time_ms = 0;
  std::int16_t error_code = 0;
  std::int64_t producer_id = -1;
  std::int16_t producer_epoch = 0;
  bool operator==(const InitProducerIdResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, InitProducerIdRequest& out);
void write(Writer& out, std::int16_t version, const InitProducerIdRequest& in);
void read(Reader& in, std::int16_t version, InitProducerIdResponse& out);
void write(Writer& out, std::int16_t version, const InitProducerIdResponse& in);

}  // namespace strata::kafka
