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

// The decode budget: how many bytes of C++ objects (array slots, heap strings
// and bytes; see Reader::set_memory_budget) one request body may decode into.
// Every wire element costs at least one byte but its C++ form up to ~70
// (a std::string is 32 bytes, an OffsetCommit partition 72), so without a cap
// a 100 MiB frame of empty strings would decode to several GiB. Real requests
// decode to at most ~4x their body (OffsetCommit partitions: 18 wire bytes,
// 72 in memory; Metadata topics ~3x; Fetch/Produce partitions ~1-2x, records
// are borrowed), so 8x leaves twice that headroom; the floor keeps any request
// up to 4 MiB of body free of the check, whatever its shape (10,000 one-letter
// Metadata topics need 320 KB). Worst case: 800 MiB for a 100 MiB frame.
inline constexpr std::size_t kDecodeBudgetPerBodyByte = 8;
inline constexpr std::size_t kDecodeBudgetFloorBytes = 32 * 1024 * 1024;
inline constexpr std::size_t decode_budget_bytes(std::size_t body_bytes) {
  return body_bytes > kDecodeBudgetFloorBytes / kDecodeBudgetPerBodyByte
             ? body_bytes * kDecodeBudgetPerBodyByte
             : kDecodeBudgetFloorBytes;
}

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
//     null, a varint over 5 bytes, tagged fields out of order, trailing bytes,
//     or more decoded memory than decode_budget_bytes(body.size()) (refused
//     before the array or string that would exceed it is allocated).
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
