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

namespace {

// Checks every implementation against `expected`: the portable one, the
// dispatching one and, where the CPU has SSE4.2, the hardware one.
void check_every_path(ByteSpan data, std::uint32_t expected) {
  CHECK(crc32c_portable(0, data) == expected);
  CHECK(crc32c(data) == expected);
  if (crc32c_has_hardware()) CHECK(crc32c_hardware(0, data) == expected);
}

// Says in the test output when the hardware path could not be tested, so a
// pass on a CPU without SSE4.2 is not read as covering it.
void warn_without_hardware() {
  if (!crc32c_has_hardware()) WARN("no SSE4.2 on this CPU: crc32c_hardware is not tested");
}

}  // namespace

TEST_CASE("crc32c matches the iSCSI test vectors of RFC 3720 on every path", "[common][crc32c]") {
  warn_without_hardware();
  std::vector<std::byte> zeros(32, std::byte{0}), ones(32, std::byte{0xff}), up(32), down(32);
  for (std::size_t i = 0; i < 32; ++i) {
    up[i] = static_cast<std::byte>(i);
    down[i] = static_cast<std::byte>(31 - i);
  }
  check_every_path(zeros, 0x8A9136AAU);
  check_every_path(ones, 0x62A8AB43U);
  check_every_path(up, 0x46DD794EU);
  check_every_path(down, 0x113FDB5CU);
}

TEST_CASE("crc32c matches known values around the striping thresholds on every path",
          "[common][crc32c]") {
  warn_without_hardware();
  // Byte i is (131 i + 7) mod 256; the expected values come from a bitwise
  // reference CRC-32C (reflected polynomial 0x82F63B78) outside this code.
  Buffer data(3 * 8192 * 2 + 3 * 256 + 64);
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<std::byte>((i * 131 + 7) & 0xff);
  }
  struct Vector {
    std::size_t length;
    std::size_t start;
    std::uint32_t crc;
  };
  const std::vector<Vector> vectors = {
      {0, 0, 0x00000000U},     {1, 0, 0x86B737BAU},     {1, 5, 0xE67448AEU},
      {7, 0, 0xF8078C71U},     {7, 5, 0x05680363U},     {8, 0, 0x0E9DB014U},
      {8, 5, 0x99DA7E21U},     {9, 0, 0xCBFA65DAU},     {9, 5, 0x8E018E73U},
      {767, 0, 0xD70254AAU},   {767, 5, 0xA261BCDEU},   {768, 0, 0xDE6F60FCU},
      {768, 5, 0x2E7A58FAU},   {769, 0, 0x3844F87FU},   {769, 5, 0x7ED675BBU},
      {776, 0, 0x634E9E93U},   {776, 5, 0xF8F1ABEBU},   {1543, 0, 0xA4C22867U},
      {1543, 5, 0xA1BCE087U},  {24575, 0, 0x8A2577CCU}, {24575, 5, 0x73924F81U},
      {24576, 0, 0x99553355U}, {24576, 5, 0x219D4DFEU}, {24577, 0, 0xE2FAAC46U},
      {24577, 5, 0xB94305B1U}, {25353, 0, 0x23B2D8F2U}, {25353, 5, 0xF8795F2EU},
      {49152, 0, 0x6FBECDA4U}, {49152, 5, 0x3337DA21U}, {49979, 0, 0x25B40368U},
      {49979, 5, 0x8CE0CAF2U},
  };
  for (const Vector& v : vectors) {
    INFO("length " << v.length << " at " << v.start);
    check_every_path(ByteSpan(data.data() + v.start, v.length), v.crc);
  }
}

TEST_CASE("crc32c hardware and portable agree on every length and alignment", "[common][crc32c]") {
  warn_without_hardware();
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
  warn_without_hardware();
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
