#pragma once

// ApiVersions (key 18), v0-3 (flexible from v3): the client asks which API
// versions the broker speaks. Answered before authentication.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct ApiVersionsRequest {
  static constexpr ApiKey kApiKey = ApiKey::api_versions;
  std::string client_software_name;     // v3+
  std::string client_software_version;  // v3+
  bool operator==(const ApiVersionsRequest&) const = default;
};

struct ApiVersionsResponse {
  static constexpr ApiKey kApiKey = ApiKey::api_versions;
  struct ApiVersion {
    std::int16_t api_key = 0;
    std::int16_t min_version = 0;
    std::int16_t max_version = 0;
    bool operator==(const ApiVersion&) const = default;
  };
  std::int16_t error_code = 0;
  std::vector<ApiVersion> api_keys;
  std::int32_t throttle_time_ms = 0;  // v1+
  bool operator==(const ApiVersionsResponse&) const = default;
};

// The answer Strata gives: every row of supported_apis() with its advertised
// range, error 0.
ApiVersionsResponse make_api_versions_response();

// KIP-511: client_software_name/version must match
// [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?; otherwise answer 42 INVALID_REQUEST.
bool is_valid_client_software_field(std::string_view value);

void read(Reader& in, std::int16_t version, ApiVersionsRequest& out);
void write(Writer& out, std::int16_t version, const ApiVersionsRequest& in);
void read(Reader& in, std::int16_t version, ApiVersionsResponse& out);
void write(Writer& out, std::int16_t version, const ApiVersionsResponse& in);

}  // namespace strata::kafka
