#pragma once

// Kafka's framing: every request and response is a 4-byte big-endian size
// followed by that many bytes (header + body).

#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"

namespace strata::kafka {

inline constexpr std::size_t kFrameSizeBytes = 4;
// Kafka's socket.request.max.bytes default.
inline constexpr std::int32_t kDefaultMaxFrameBytes = 100 * 1024 * 1024;
// The smallest request: api_key, api_version, correlation_id, client_id length.
inline constexpr std::int32_t kMinRequestFrameBytes = 10;

// Decides, before anything is allocated, whether a frame of `declared` bytes
// may be read. Errors: corruption for a negative or zero size (or one below
// `min_bytes`); too_large above `max_bytes` (then close the connection unread:
// a TLS ClientHello on a plaintext port reads as ~369 MB).
Status check_frame_size(std::int32_t declared, std::int32_t max_bytes = kDefaultMaxFrameBytes,
                        std::int32_t min_bytes = 1);

// Reads the size prefix from the first 4 bytes of `prefix` and checks it as
// above. Errors: corruption when fewer than 4 bytes are given.
Result<std::int32_t> read_frame_size(ByteSpan prefix,
                                     std::int32_t max_bytes = kDefaultMaxFrameBytes,
                                     std::int32_t min_bytes = 1);

// Appends a size placeholder to `out` and returns where it is; finish_frame
// fills in the number of bytes written after it.
std::size_t begin_frame(Buffer& out);
// Errors: too_large when the frame exceeds INT32_MAX bytes.
Status finish_frame(Buffer& out, std::size_t frame_start);

}  // namespace strata::kafka
