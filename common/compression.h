#pragma once

// The four codecs a RecordBatch v2 may use for its records section, in the
// framings Kafka clients write (docs/formats/record-batch.md):
//   gzip   - one or more gzip members (RFC 1952).
//   snappy - xerial framing on output, as the Java client writes; input may be
//            xerial-framed or one raw snappy block (librdkafka writes raw).
//   lz4    - the LZ4 frame format (not raw blocks).
//   zstd   - standard zstd frames, content size optional.
// Pure functions: any thread may call them concurrently.

#include <cstddef>

#include "common/bytes.h"
#include "common/record_batch.h"
#include "common/result.h"
#include "common/status.h"

namespace strata {

// Compresses `input` with `codec` and appends the result to `out`. With
// Compression::none it appends `input` unchanged. Errors: internal when the
// library fails (out of memory), too_large for inputs above 2 GiB.
Status compress(Compression codec, ByteSpan input, Buffer& out);

// Decompresses `input`, producing at most `max_output_bytes` bytes and never
// allocating much beyond what it has produced. Errors: too_large when the
// output would exceed `max_output_bytes` (a decompression bomb or a limit
// set too low), corruption when `input` is not a complete, valid stream of
// `codec` (truncated, bad checksum, garbage after the end), internal when
// the library fails. Compression::none returns a copy, bounded the same way.
Result<Buffer> decompress(Compression codec, ByteSpan input, std::size_t max_output_bytes);

// "none", "gzip", "snappy", "lz4", "zstd".
const char* to_string(Compression codec);

}  // namespace strata
