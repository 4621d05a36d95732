#include "common/varint.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <vector>

using namespace strata;

namespace {

Buffer bytes_of(std::initializer_list<int> values) {
  Buffer out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

Buffer encode_varint(std::int32_t v) {
  Buffer out;
  put_varint(out, v);
  return out;
}

Buffer encode_varlong(std::int64_t v) {
  Buffer out;
  put_varlong(out, v);
  return out;
}

}  // namespace

TEST_CASE("varint encodes zigzag values as Kafka does", "[common][varint]") {
  CHECK(encode_varint(0) == bytes_of({0x00}));
  CHECK(encode_varint(-1) == bytes_of({0x01}));
  CHECK(encode_varint(1) == bytes_of({0x02}));
  CHECK(encode_varint(63) == bytes_of({0x7E}));
  CHECK(encode_varint(-64) == bytes_of({0x7F}));
  CHECK(encode_varint(64) == bytes_of({0x80, 0x01}));
  CHECK(encode_varint(300) == bytes_of({0xD8, 0x04}));
  CHECK(encode_varint(std::numeric_limits<std::int32_t>::max()) ==
        bytes_of({0xFE, 0xFF, 0xFF, 0xFF, 0x0F}));
  CHECK(encode_varint(std::numeric_limits<std::int32_t>::min()) ==
        bytes_of({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}));
  CHECK(encode_varlong(std::numeric_limits<std::int64_t>::max()) ==
        bytes_of({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
  CHECK(encode_varlong(std::numeric_limits<std::int64_t>::min()) ==
        bytes_of({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
}

TEST_CASE("varint and varlong round trip across the whole range", "[common][varint]") {
  std::vector<std::int64_t> values = {0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192,
                                      std::numeric_limits<std::int32_t>::max(),
                                      std::numeric_limits<std::int32_t>::min(),
                                      std::numeric_limits<std::int64_t>::max(),
                                      std::numeric_limits<std::int64_t>::min()};
  for (int shift = 0; shift < 63; ++shift) {
    values.push_back(std::int64_t{1} << shift);
    values.push_back(-(std::int64_t{1} << shift));
    values.push_back((std::int64_t{1} << shift) - 1);
  }
  for (std::int64_t v : values) {
    Buffer b = encode_varlong(v);
    REQUIRE(b.size() == varlong_size(v));
    std::size_t pos = 0;
    auto decoded = read_varlong(b, pos);
    REQUIRE(decoded.ok());
    CHECK(*decoded == v);
    CHECK(pos == b.size());

    if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max()) {
      continue;
    }
    const auto v32 = static_cast<std::int32_t>(v);
    Buffer b32 = encode_varint(v32);
    REQUIRE(b32.size() == varint_size(v32));
    REQUIRE(b32 == b);  // the same value has the same encoding in either width
    pos = 0;
    auto decoded32 = read_varint(b32, pos);
    REQUIRE(decoded32.ok());
    CHECK(*decoded32 == v32);
  }
}

TEST_CASE("varint reads advance through consecutive values in one buffer", "[common][varint]") {
  Buffer b;
  put_varint(b, 5);
  put_varlong(b, -1234567890123);
  put_varint(b, -300);
  std::size_t pos = 0;
  CHECK(*read_varint(b, pos) == 5);
  CHECK(*read_varlong(b, pos) == -1234567890123);
  CHECK(*read_varint(b, pos) == -300);
  CHECK(pos == b.size());
  auto past_end = read_varint(b, pos);
  CHECK(past_end.status() == ErrorCode::corruption);
}

TEST_CASE("a truncated varint is corruption and leaves the position alone", "[common][varint]") {
  const Buffer full32 = encode_varint(std::numeric_limits<std::int32_t>::min());
  const Buffer full64 = encode_varlong(std::numeric_limits<std::int64_t>::min());
  for (std::size_t n = 0; n < full32.size(); ++n) {
    std::size_t pos = 0;
    auto r = read_varint(ByteSpan(full32).first(n), pos);
    REQUIRE(r.status() == ErrorCode::corruption);
    REQUIRE(pos == 0);
  }
  for (std::size_t n = 0; n < full64.size(); ++n) {
    std::size_t pos = 0;
    auto r = read_varlong(ByteSpan(full64).first(n), pos);
    REQUIRE(r.status() == ErrorCode::corruption);
    REQUIRE(pos == 0);
  }
}

TEST_CASE("an over-long varint is corruption", "[common][varint]") {
  std::size_t pos = 0;
  SECTION("six bytes for an int32") {
    Buffer b = bytes_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
    CHECK(read_varint(b, pos).status() == ErrorCode::corruption);
  }
  SECTION("a fifth byte with bits beyond 32") {
    Buffer b = bytes_of({0xFF, 0xFF, 0xFF, 0xFF, 0x1F});
    CHECK(read_varint(b, pos).status() == ErrorCode::corruption);
  }
  SECTION("eleven bytes for an int64") {
    Buffer b = bytes_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
    CHECK(read_varlong(b, pos).status() == ErrorCode::corruption);
  }
  SECTION("a tenth byte with bits beyond 64") {
    Buffer b = bytes_of({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02});
    CHECK(read_varlong(b, pos).status() == ErrorCode::corruption);
  }
  SECTION("an unending run of continuation bytes") {
    Buffer b(1000, std::byte{0xFF});
    CHECK(read_varint(b, pos).status() == ErrorCode::corruption);
    CHECK(read_varlong(b, pos).status() == ErrorCode::corruption);
  }
  CHECK(pos == 0);
}

TEST_CASE("a padded but in-range varint still decodes", "[common][varint]") {
  // Five groups whose last one is zero: longer than needed but within the limit.
  Buffer b = bytes_of({0x82, 0x80, 0x80, 0x80, 0x00});
  std::size_t pos = 0;
  auto r = read_varint(b, pos);
  REQUIRE(r.ok());
  CHECK(*r == 1);
  CHECK(pos == 5);
}
