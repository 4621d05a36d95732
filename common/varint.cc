#include "common/varint.h"

#include <string>

namespace strata {

namespace {

constexpr std::uint64_t zigzag_encode(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

constexpr std::int64_t zigzag_decode(std::uint64_t u) {
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

std::size_t unsigned_size(std::uint64_t u) {
  std::size_t n = 1;
  while (u >= 0x80) {
    u >>= 7;
    ++n;
  }
  return n;
}

std::size_t write_unsigned(std::byte* dest, std::uint64_t u) {
  std::size_t n = 0;
  while (u >= 0x80) {
    dest[n++] = static_cast<std::byte>((u & 0x7F) | 0x80);
    u >>= 7;
  }
  dest[n++] = static_cast<std::byte>(u);
  return n;
}

// Reads at most `max_bytes` groups holding a value of `width_bits` bits.
Result<std::uint64_t> read_unsigned(ByteSpan in, std::size_t& pos, std::size_t max_bytes,
                                    unsigned width_bits) {
  std::uint64_t u = 0;
  std::size_t p = pos;
  for (std::size_t i = 0; i < max_bytes; ++i) {
    if (p >= in.size()) {
      return corruption_error("varint truncated at position " + std::to_string(p));
    }
    const auto b = static_cast<std::uint64_t>(in[p++]);
    const unsigned shift = static_cast<unsigned>(7 * i);
    // The last permitted group may only fill the bits the type has left.
    if (i + 1 == max_bytes && (b >> (width_bits - shift)) != 0) {
      return corruption_error("varint at position " + std::to_string(pos) + " overflows " +
                              std::to_string(width_bits) + " bits");
    }
    u |= (b & 0x7F) << shift;
    if ((b & 0x80) == 0) {
      pos = p;
      return u;
    }
  }
  return corruption_error("varint at position " + std::to_string(pos) + " is longer than " +
                          std::to_string(max_bytes) + " bytes");
}

}  // namespace

std::size_t varint_size(std::int32_t value) {
  return unsigned_size(static_cast<std::uint32_t>(zigzag_encode(value)));
}
std::size_t varlong_size(std::int64_t value) { return unsigned_size(zigzag_encode(value)); }

std::size_t write_varint(std::byte* dest, std::int32_t value) {
  return write_unsigned(dest, static_cast<std::uint32_t>(zigzag_encode(value)));
}
std::size_t write_varlong(std::byte* dest, std::int64_t value) {
  return write_unsigned(dest, zigzag_encode(value));
}

void put_varint(Buffer& out, std::int32_t value) {
  std::byte tmp[kMaxVarintBytes];
  append(out, ByteSpan(tmp, write_varint(tmp, value)));
}
void put_varlong(Buffer& out, std::int64_t value) {
  std::byte tmp[kMaxVarlongBytes];
  append(out, ByteSpan(tmp, write_varlong(tmp, value)));
}

Result<std::int32_t> read_varint(ByteSpan in, std::size_t& pos) {
  STRATA_TRY_ASSIGN(std::uint64_t u, read_unsigned(in, pos, kMaxVarintBytes, 32));
  return static_cast<std::int32_t>(zigzag_decode(u));
}

Result<std::int64_t> read_varlong(ByteSpan in, std::size_t& pos) {
  STRATA_TRY_ASSIGN(std::uint64_t u, read_unsigned(in, pos, kMaxVarlongBytes, 64));
  return zigzag_decode(u);
}

}  // namespace strata
