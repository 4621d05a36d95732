#pragma once

// Request header v1/v2 and response header v0/v1, and which one each
// (api key, version) uses.

#include <cstdint>
#include <optional>
#include <string>

#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"
#include "common/bytes.h"
#include "common/result.h"

namespace strata::kafka {

// The header every request starts with. v2 (flexible versions) adds a tagged
// field section after client_id; client_id keeps its int16 length in both.
struct RequestHeader {
  std::int16_t api_key = 0;
  std::int16_t api_version = 0;
  std::int32_t correlation_id = 0;
  std::optional<std::string> client_id;

  bool operator==(const RequestHeader&) const = default;
};

// 2 for a flexible (api, version), else 1. Unknown keys get 1; versions above
// Strata's range of a known key follow Kafka's flexible-from version, so a
// too-new ApiVersions request still parses (KIP-511).
std::int16_t request_header_version(std::int16_t api_key, std::int16_t api_version);
// 1 for a flexible (api, version), else 0; ApiVersions always answers with
// header v0, whatever its version, so that any client can read the error.
std::int16_t response_header_version(std::int16_t api_key, std::int16_t api_version);

// Reads a request header from the start of `in` (a frame without its size
// prefix). Errors: corruption when truncated or malformed.
void read_request_header(Reader& in, RequestHeader& header);
// Writes a request header of request_header_version(...).
void write_request_header(Writer& out, const RequestHeader& header);

// Response header: correlation id, plus tagged fields in v1.
void write_response_header(Writer& out, std::int32_t correlation_id, std::int16_t header_version);
void read_response_header(Reader& in, std::int32_t& correlation_id, std::int16_t header_version);

}  // namespace strata::kafka
