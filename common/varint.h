#pragma once

// Kafka's variable-length integers: zigzag-encoded signed values in base-128
// groups, least significant group first, high bit set on every byte but the
// last (the protobuf "sint32/sint64" encoding). RecordBatch v2 records use
// them for every length and delta; see docs/formats/record-batch.md.

#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"

namespace strata {

inline constexpr std::size_t kMaxVarintBytes = 5;    // an int32
inline constexpr std::size_t kMaxVarlongBytes = 10;  // an int64

// The number of bytes put_varint/put_varlong write for `value`.
std::size_t varint_size(std::int32_t value);
std::size_t varlong_size(std::int64_t value);

// Appends the zigzag encoding of `value` to `out`.
void put_varint(Buffer& out, std::int32_t value);
void put_varlong(Buffer& out, std::int64_t value);

// Writes the encoding at `dest` and returns the number of bytes written.
// Requires: dest has room for varint_size(value) / varlong_size(value) bytes.
std::size_t write_varint(std::byte* dest, std::int32_t value);
std::size_t write_varlong(std::byte* dest, std::int64_t value);

// Decodes one value starting at in[pos] and advances `pos` past it; `pos` is
// left unchanged on error. Errors: corruption when the input ends inside the
// value, when the encoding is longer than kMaxVarintBytes/kMaxVarlongBytes,
// or when its last byte carries bits beyond the type's width.
Result<std::int32_t> read_varint(ByteSpan in, std::size_t& pos);
Result<std::int64_t> read_varlong(ByteSpan in, std::size_t& pos);

}  // namespace strata
