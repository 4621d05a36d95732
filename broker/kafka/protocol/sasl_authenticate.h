#pragma once

// SaslAuthenticate (key 36), v0-2 (v2 flexible): one SASL token each way.
// v1 adds SessionLifetimeMs (KIP-368; 0 = no re-authentication required).

#include <cstdint>
#include <optional>
#include <string>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"
#include "common/bytes.h"

namespace strata::kafka {

struct SaslAuthenticateRequest {
  static constexpr ApiKey kApiKey = ApiKey::sasl_authenticate;
  Buffer auth_bytes;
  bool operator==(const SaslAuthenticateRequest&) const = default;
};

struct SaslAuthenticateResponse {
  static constexpr ApiKey kApiKey = ApiKey::sasl_authenticate;
  std::int16_t error_code = 0;
  std::optional<std::string> error_message;
  Buffer auth_bytes;                     // empty, never null, when there is no token
  std::int64_t session_lifetime_ms = 0;  // v1+
  bool operator==(const SaslAuthenticateResponse&) const = default;
};

void read(Reader& in, std::int16_t version, SaslAuthenticateRequest& out);
void write(Writer& out, std::int16_t version, const SaslAuthenticateRequest& in);
void read(Reader& in, std::int16_t version, SaslAuthenticateResponse& out);
void write(Writer& out, std::int16_t version, const SaslAuthenticateResponse& in);

}  // namespace strata::kafka
