#pragma once

// SaslHandshake (key 17), v0-1, never flexible (KAFKA-9577): the client
// names its SASL mechanism. After a v0 handshake the tokens follow as raw
// size-prefixed frames; after v1 they ride in SaslAuthenticate.

#include <cstdint>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct SaslHandshakeRequest {
  static constexpr ApiKey kApiKey = ApiKey::sasl_handshake;
  std::string mechanism;
  bool operator==(const SaslHandshakeRequest&) const = default;
};

struct SaslHandshakeResponse {
  static constexpr ApiKey kApiKey = ApiKey::sasl_handshake;
  std::int16_t error_code = 0;
  std::vector<std::string> mechanisms;  // the enabled ones
  bool operator==(const SaslHandshakeResponse&) const = default;
};

void read(Reader& in, std::int16_t version, SaslHandshakeRequest& out);
void write(Writer& out, std::int16_t version, const SaslHandshakeRequest& in);
void read(Reader& in, std::int16_t version, SaslHandshakeResponse& out);
void write(Writer& out, std::int16_t version, const SaslHandshakeResponse& in);

}  // namespace strata::kafka
