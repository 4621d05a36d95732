#pragma once

// Encoding a whole response frame (size, header, body), and decoding one
// (for tests and clients).

#include <cstdint>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/frame.h"
#include "broker/kafka/protocol/header.h"
#include "broker/kafka/protocol/messages.h"
#include "common/bytes.h"
#include "common/result.h"

namespace strata::kafka {

// A decoded response. Borrows the frame it came from (records fields).
struct Response {
  std::int32_t correlation_id = 0;
  ResponseBody body;
};

namespace detail {
// Checks the version, writes size placeholder and header, calls
// `write_body(Writer&)`, and fills in the size.
template <typename WriteBody>
Status append_response_frame(Buffer& out, std::int32_t correlation_id, ApiKey key,
                             std::int16_t api_version, WriteBody&& write_body);
Status check_response_version(ApiKey key, std::int16_t api_version);
}  // namespace detail

// Appends the complete frame answering request `correlation_id` at
// `api_version` (the request's version): 4-byte size, response header v0 or
// v1 (ApiVersions always v0), body. On error `out` is restored to its old
// size. Errors: invalid_argument when the version is not advertised for the
// body's API or a value does not fit the wire (e.g. a string over 32767 bytes).
template <typename Body>
Status append_response(Buffer& out, std::int32_t correlation_id, std::int16_t api_version,
                       const Body& body) {
  return detail::append_response_frame(out, correlation_id, Body::kApiKey, api_version,
                                       [&](Writer& w) { write(w, api_version, body); });
}
Status append_response(Buffer& out, std::int32_t correlation_id, std::int16_t api_version,
                       const ResponseBody& body);

// The answer to an ApiVersions request at a version Strata does not speak
// (KIP-511): header v0 and a v0 body with error 35 UNSUPPORTED_VERSION and
// api_keys = [{18, 0, max}], so the client retries at a version we know.
Buffer encode_api_versions_unsupported(std::int32_t correlation_id);

// Decodes a response frame payload (without its size) for a request of
// (api_key, api_version). Errors as decode_request_body.
Result<Response> decode_response(std::int16_t api_key, std::int16_t api_version,
                                 ByteSpan payload);

template <typename WriteBody>
Status detail::append_response_frame(Buffer& out, std::int32_t correlation_id, ApiKey key,
                                     std::int16_t api_version, WriteBody&& write_body) {
  STRATA_TRY(check_response_version(key, api_version));
  const std::size_t old_size = out.size();
  const std::size_t start = begin_frame(out);
  Writer w(out, is_flexible(to_int(key), api_version));
  write_response_header(w, correlation_id, response_header_version(to_int(key), api_version));
  write_body(w);
  Status status = w.ok() ? finish_frame(out, start) : w.status();
  if (!status.ok()) out.resize(old_size);
  return status;
}

}  // namespace strata::kafka
