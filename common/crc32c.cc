#include "common/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace strata {
namespace {

constexpr std::uint32_t kPolynomial = 0x82F63B78;  // Castagnoli, reflected

// Slicing-by-8 tables: table[k][b] is the CRC of byte b followed by k zero bytes.
constexpr std::array<std::array<std::uint32_t, 256>, 8> make_tables() {
  std::array<std::array<std::uint32_t, 256>, 8> t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t c = b;
    for (int i = 0; i < 8; ++i) c = (c >> 1) ^ ((c & 1U) ? kPolynomial : 0U);
    t[0][b] = c;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  }
  return t;
}

constexpr auto kTables = make_tables();

}  // namespace

std::uint32_t crc32c_portable(std::uint32_t crc, ByteSpan data) {
  std::uint32_t c = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  while (n >= 8) {
    std::uint32_t lo;
    std::uint32_t hi;
    std::memcpy(&lo, p, 4);  // the tables assume little-endian words
    std::memcpy(&hi, p + 4, 4);
    lo ^= c;
    c = kTables[7][lo & 0xFF] ^ kTables[6][(lo >> 8) & 0xFF] ^ kTables[5][(lo >> 16) & 0xFF] ^
        kTables[4][lo >> 24] ^ kTables[3][hi & 0xFF] ^ kTables[2][(hi >> 8) & 0xFF] ^
        kTables[1][(hi >> 16) & 0xFF] ^ kTables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) c = (c >> 8) ^ kTables[0][(c ^ *p++) & 0xFF];
  return ~c;
}

#if defined(__x86_64__)
namespace {

// The crc32 instruction takes three cycles but can start one per cycle, so
// long inputs run as three independent chains over adjacent stripes. A
// stripe's CRC is then carried past the stripes after it with a table of
// "append kStripe zero bytes" (the register update is linear over GF(2)),
// and xored with their CRCs.
constexpr std::size_t kLongStripe = 8192;
constexpr std::size_t kShortStripe = 256;

// table[k][b]: the register after kStripe zero bytes from b << (8 * k).
using ZerosTable = std::array<std::array<std::uint32_t, 256>, 4>;

__attribute__((target("sse4.2"))) ZerosTable make_zeros_table(std::size_t stripe) {
  std::array<std::uint32_t, 32> basis{};
  for (std::size_t bit = 0; bit < 32; ++bit) {
    std::uint64_t c = std::uint64_t{1} << bit;
    for (std::size_t i = 0; i < stripe; i += 8) c = _mm_crc32_u64(c, 0);
    basis[bit] = static_cast<std::uint32_t>(c);
  }
  ZerosTable t{};
  for (std::size_t k = 0; k < 4; ++k) {
    for (std::size_t b = 0; b < 256; ++b) {
      for (std::size_t bit = 0; bit < 8; ++bit) {
        if ((b >> bit) & 1U) t[k][b] ^= basis[8 * k + bit];
      }
    }
  }
  return t;
}

std::uint64_t append_zeros(const ZerosTable& t, std::uint64_t crc) {
  return t[0][crc & 0xFF] ^ t[1][(crc >> 8) & 0xFF] ^ t[2][(crc >> 16) & 0xFF] ^
         t[3][(crc >> 24) & 0xFF];
}

std::uint64_t load64(const unsigned char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

// Runs the three chains over n / (3 * stripe) groups of stripes.
__attribute__((target("sse4.2"))) std::uint64_t crc_three_stripes(std::uint64_t c,
                                                                  const unsigned char*& p,
                                                                  std::size_t& n,
                                                                  std::size_t stripe,
                                                                  const ZerosTable& zeros) {
  while (n >= 3 * stripe) {
    std::uint64_t c1 = 0;
    std::uint64_t c2 = 0;
    for (std::size_t i = 0; i < stripe; i += 8) {
      c = _mm_crc32_u64(c, load64(p + i));
      c1 = _mm_crc32_u64(c1, load64(p + stripe + i));
      c2 = _mm_crc32_u64(c2, load64(p + 2 * stripe + i));
    }
    c = append_zeros(zeros, c) ^ c1;
    c = append_zeros(zeros, c) ^ c2;
    p += 3 * stripe;
    n -= 3 * stripe;
  }
  return c;
}

}  // namespace

__attribute__((target("sse4.2"))) std::uint32_t crc32c_hardware(std::uint32_t crc, ByteSpan data) {
  static const ZerosTable kLongZeros = make_zeros_table(kLongStripe);
  static const ZerosTable kShortZeros = make_zeros_table(kShortStripe);
  std::uint64_t c = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  c = crc_three_stripes(c, p, n, kLongStripe, kLongZeros);
  c = crc_three_stripes(c, p, n, kShortStripe, kShortZeros);
  while (n >= 8) {
    c = _mm_crc32_u64(c, load64(p));
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (n-- > 0) c32 = _mm_crc32_u8(c32, *p++);
  return ~c32;
}

bool crc32c_has_hardware() {
  static const bool has = __builtin_cpu_supports("sse4.2");
  return has;
}
#else
std::uint32_t crc32c_hardware(std::uint32_t crc, ByteSpan data) { return crc32c_portable(crc, data); }
bool crc32c_has_hardware() { return false; }
#endif

std::uint32_t crc32c_extend(std::uint32_t crc, ByteSpan data) {
  return crc32c_has_hardware() ? crc32c_hardware(crc, data) : crc32c_portable(crc, data);
}

std::uint32_t crc32c(ByteSpan data) { return crc32c_extend(0, data); }

}  // namespace strata
