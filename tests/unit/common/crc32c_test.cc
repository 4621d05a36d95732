#include "common/crc32c.h"

#include <catch2/catch.hpp>
#include <random>
#include <vector>

using namespace strata;

TEST_CASE("crc32c of the standard check string is 0xE3069283", "[common][crc32c]") {
  const auto input = as_bytes("123456789");
  CHECK(crc32c_portable(0, input) == 0xE3069283U);
  CHECK(crc32c(input) == 0xE3069283U);
  if (crc32c_has_hardware()) CHECK(crc32c_hardware(0, input) == 0xE3069283U);
}

TEST_CASE("crc32c of nothing is zero", "[common][crc32c]") { CHECK(crc32c(ByteSpan{}) == 0U); }

TEST_CASE("crc32c hardware and portable agree on every length and alignment", "[common][crc32c]") {
  std::mt19937 rng(7);
  Buffer data(1000);
  for (auto& b : data) b = static_cast<std::byte>(rng());
  for (std::size_t start = 0; start < 9; ++start) {
    for (std::size_t len = 0; start + len <= data.size(); len += 13) {
      ByteSpan part(data.data() + start, len);
      REQUIRE(crc32c_portable(0, part) == crc32c_extend(0, part));
      if (crc32c_has_hardware()) REQUIRE(crc32c_hardware(0, part) == crc32c_portable(0, part));
    }
  }
}

TEST_CASE("crc32c hardware and portable agree around the striping thresholds", "[common][crc32c]") {
  // The hardware path runs three chains over 8 KiB and 256-byte stripes; check
  // lengths on both sides of each multiple, and a batch-sized input.
  std::mt19937 rng(11);
  Buffer data(3 * 8192 * 2 + 3 * 256 + 64);
  for (auto& b : data) b = static_cast<std::byte>(rng());
  std::vector<std::size_t> lengths{3 * 256 - 1, 3 * 256, 3 * 256 + 1, 3 * 256 + 8, 6 * 256 + 7,
                                   3 * 8192 - 1, 3 * 8192, 3 * 8192 + 1, 3 * 8192 + 3 * 256 + 9,
                                   6 * 8192, data.size()};
  for (std::size_t len : lengths) {
    for (std::size_t start : {0, 1, 5}) {
      if (start + len > data.size()) continue;
      ByteSpan part(data.data() + start, len);
      INFO("length " << len << " at " << start);
      REQUIRE(crc32c_extend(0x12345678, part) == crc32c_portable(0x12345678, part));
      if (crc32c_has_hardware()) REQUIRE(crc32c_hardware(0, part) == crc32c_portable(0, part));
    }
  }
}

TEST_CASE("crc32c_extend continues a checksum across pieces", "[common][crc32c]") {
  const auto whole = as_bytes("the quick brown fox jumps over the lazy dog");
  for (std::size_t cut = 0; cut <= whole.size(); ++cut) {
    REQUIRE(crc32c_extend(crc32c(whole.first(cut)), whole.subspan(cut)) == crc32c(whole));
  }
}
