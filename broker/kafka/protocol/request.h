#pragma once

// Decoding a whole request frame (header + body), and encoding one (for tests
// and clients). The entry point a connection handler uses.

#include <cstddef>
#include <cstdint>

#include "broker/kafka/protocol/header.h"
#include "broker/kafka/protocol/messages.h"
#include "common/bytes.h"
#include "common/result.h"

namespace strata::kafka {

// A decoded request. Borrows the frame it came from (records fields point
// into it): keep the frame alive while the Request is in use.
struct Request {
  RequestHeader header;
  RequestBody body;
};

// Reads the request header from `payload` (a frame without its 4-byte size)
// and sets `body_offset` to where the body starts. Does not look at the body,
// so it succeeds for unknown keys and versions too: the handler decides what
// to do (see decode_request_body). Errors: corruption when truncated.
Result<RequestHeader> decode_request_header(ByteSpan payload, std::size_t& body_offset);

// Decodes the body for header.api_key / header.api_version; every byte must
// be consumed. Errors:
//   unsupported — the key is unknown or the version is outside the advertised
//     range. For ApiVersions, answer encode_api_versions_unsupported(); for
//     anything else close the connection, as Kafka does.
//   corruption — truncated, a length past the end, a null that may not be
//     null, a varint over 5 bytes, tagged fields out of order, trailing bytes.
// Produce v0-2 decode (they are advertised) although is_served() is false:
// the handler refuses them.
Result<RequestBody> decode_request_body(const RequestHeader& header, ByteSpan body);

// Both steps; loses the header on a body error, so a handler that must answer
// ApiVersions errors uses the two calls above.
Result<Request> decode_request(ByteSpan payload);

// Appends a complete request frame (size, header of the right version,
// body); on error `out` keeps its old size. Errors: invalid_argument when
// header.api_key does not match the body's type, the version is not
// advertised, or a value does not fit.
Status append_request(Buffer& out, const RequestHeader& header, const RequestBody& body);

}  // namespace strata::kafka
