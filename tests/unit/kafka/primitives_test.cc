// The primitive reader and writer: every type round-trips in both encodings,
// and every length is checked before anything is allocated.

#include <catch2/catch.hpp>

#include <climits>
#include <initializer_list>

#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {
namespace {

Buffer bytes_of(std::initializer_list<int> values) {
  Buffer out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

TEST_CASE("fixed-width integers, booleans and uuids round-trip big-endian",
          "[kafka][protocol][primitives]") {
  Buffer buf;
  Writer w(buf, false);
  w.int8(-2);
  w.int16(-300);
  w.int32(INT32_MIN);
  w.int64(INT64_MAX);
  w.uint32(0xdeadbeef);
  w.boolean(true);
  Uuid id{};
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = static_cast<std::uint8_t>(i * 7);
  w.uuid(id);
  REQUIRE(w.ok());
  CHECK(buf.size() == 1 + 2 + 4 + 8 + 4 + 1 + 16);
  CHECK(buf[1] == std::byte{0xfe});  // -300 = 0xfed4
  CHECK(buf[2] == std::byte{0xd4});

  Reader r(buf, false);
  std::int8_t a = 0;
  std::int16_t b = 0;
  std::int32_t c = 0;
  std::int64_t d = 0;
  std::uint32_t e = 0;
  bool f = false;
  Uuid g{};
  r.int8(a);
  r.int16(b);
  r.int32(c);
  r.int64(d);
  r.uint32(e);
  r.boolean(f);
  r.uuid(g);
  r.expect_end();
  REQUIRE(r.ok());
  CHECK(a == -2);
  CHECK(b == -300);
  CHECK(c == INT32_MIN);
  CHECK(d == INT64_MAX);
  CHECK(e == 0xdeadbeef);
  CHECK(f);
  CHECK(g == id);
}

TEST_CASE("varints reuse the zigzag codec, unsigned varints are plain base-128",
          "[kafka][protocol][primitives]") {
  Buffer buf;
  Writer w(buf, true);
  w.varint(-1);
  w.varlong(INT64_MIN);
  w.unsigned_varint(300);
  w.unsigned_varint(UINT32_MAX);
  CHECK(buf[0] == std::byte{0x01});  // zigzag(-1) = 1
  Reader r(buf, true);
  std::int32_t a = 0;
  std::int64_t b = 0;
  std::uint32_t c = 0;
  std::uint32_t d = 0;
  r.varint(a);
  r.varlong(b);
  r.unsigned_varint(c);
  r.unsigned_varint(d);
  r.expect_end();
  REQUIRE(r.ok());
  CHECK(a == -1);
  CHECK(b == INT64_MIN);
  CHECK(c == 300);
  CHECK(d == UINT32_MAX);

  SECTION("an unsigned varint longer than 5 bytes or past 32 bits is refused") {
    const Buffer six = bytes_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x01});
    Reader r6(six, true);
    std::uint32_t x = 0;
    r6.unsigned_varint(x);
    CHECK(r6.status().code() == ErrorCode::corruption);
    const Buffer wide = bytes_of({0xff, 0xff, 0xff, 0xff, 0x1f});
    Reader rw(wide, true);
    rw.unsigned_varint(x);
    CHECK_FALSE(rw.ok());
  }
  SECTION("a signed varint longer than 5 bytes is refused") {
    const Buffer six = bytes_of({0x81, 0x81, 0x81, 0x81, 0x81, 0x01});
    Reader r6(six, false);
    std::int32_t x = 0;
    r6.varint(x);
    CHECK_FALSE(r6.ok());
  }
}

TEST_CASE("strings and bytes use int16/int32 lengths, or compact lengths when flexible",
          "[kafka][protocol][primitives]") {
  for (bool flexible : {false, true}) {
    INFO("flexible " << flexible);
    Buffer buf;
    Writer w(buf, flexible);
    w.string("abc");
    w.nullable_string(std::nullopt);
    w.nullable_string(std::string());
    w.bytes(to_buffer("xy"));
    w.nullable_bytes(std::nullopt);
    w.records(Records::null());
    w.string_array({"p", "q"});
    w.nullable_string_array(std::nullopt, true);
    w.tagged_fields();
    REQUIRE(w.ok());
    if (flexible) {
      CHECK(buf[0] == std::byte{0x04});  // 3 + 1
      CHECK(buf[4] == std::byte{0x00});  // null
    } else {
      CHECK(buf[1] == std::byte{0x03});
      CHECK(buf[5] == std::byte{0xff});
    }
    Reader r(buf, flexible);
    std::string s;
    std::optional<std::string> n1 = "x";
    std::optional<std::string> n2;
    Buffer b;
    std::optional<Buffer> nb = Buffer{};
    Records rec = Records::of(b);
    std::vector<std::string> arr;
    std::optional<std::vector<std::string>> narr = std::vector<std::string>{};
    r.string(s);
    r.nullable_string(n1);
    r.nullable_string(n2);
    r.bytes(b);
    r.nullable_bytes(nb);
    r.records(rec);
    r.string_array(arr);
    r.nullable_string_array(narr, true);
    r.tagged_fields();
    r.expect_end();
    REQUIRE(r.ok());
    CHECK(s == "abc");
    CHECK_FALSE(n1.has_value());
    CHECK(n2 == std::string());
    CHECK(b == to_buffer("xy"));
    CHECK_FALSE(nb.has_value());
    CHECK(rec.is_null());
    CHECK(arr == std::vector<std::string>{"p", "q"});
    CHECK_FALSE(narr.has_value());
  }
}

TEST_CASE("the writer refuses what the wire cannot carry", "[kafka][protocol][primitives]") {
  Buffer buf;
  Writer w(buf, false);
  w.string(std::string(40000, 'x'));
  CHECK(w.status().code() == ErrorCode::invalid_argument);
  Writer w2(buf, false);
  w2.nullable_string_array(std::nullopt, /*nullable=*/false);
  CHECK_FALSE(w2.ok());
}

TEST_CASE("declared lengths beyond the bytes left fail before allocating",
          "[kafka][protocol][primitives][hostile]") {
  SECTION("string length past the end") {
    const Buffer in = bytes_of({0x00, 0x05, 'a', 'b'});
    Reader r(in, false);
    std::string s;
    r.string(s);
    CHECK(r.status().code() == ErrorCode::corruption);
    CHECK(s.empty());
  }
  SECTION("negative lengths other than -1") {
    const Buffer in = bytes_of({0xff, 0xfe});
    Reader r(in, false);
    std::optional<std::string> s;
    r.nullable_string(s);
    CHECK_FALSE(r.ok());
  }
  SECTION("null where the field is not nullable") {
    const Buffer in = bytes_of({0xff, 0xff});
    Reader r(in, false);
    std::string s;
    r.string(s);
    CHECK_FALSE(r.ok());
    const Buffer compact_null = bytes_of({0x00});
    Reader rc(compact_null, true);
    rc.string(s);
    CHECK_FALSE(rc.ok());
  }
  SECTION("INT32_MAX array count in a tiny buffer") {
    const Buffer in = bytes_of({0x7f, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01});
    Reader r(in, false);
    std::vector<std::int32_t> v;
    r.int32_array(v);
    CHECK_FALSE(r.ok());
    CHECK(v.capacity() == 0);
  }
  SECTION("compact array count of 2^32-1") {
    const Buffer in = bytes_of({0xff, 0xff, 0xff, 0xff, 0x0f, 0x00});
    Reader r(in, true);
    std::vector<std::string> v;
    r.string_array(v);
    CHECK_FALSE(r.ok());
  }
  SECTION("int32 bytes length of INT32_MAX") {
    const Buffer in = bytes_of({0x7f, 0xff, 0xff, 0xff, 0x01});
    Reader r(in, false);
    Buffer b;
    r.bytes(b);
    CHECK_FALSE(r.ok());
    Records rec;
    Reader r2(in, false);
    r2.records(rec);
    CHECK_FALSE(r2.ok());
  }
  SECTION("the first error sticks and later reads change nothing") {
    const Buffer in = bytes_of({0x00});
    Reader r(in, false);
    std::int32_t x = 7;
    r.int32(x);
    std::int8_t y = 9;
    r.int8(y);
    CHECK(x == 7);
    CHECK(y == 9);
    CHECK(r.position() == 0);
    CHECK(r.status().message().find("byte 0 of 1") != std::string::npos);
  }
}

TEST_CASE("tagged fields are skipped when well-formed and bounded otherwise",
          "[kafka][protocol][primitives][hostile]") {
  auto read_tags = [](const Buffer& in) {
    Reader r(in, true);
    r.tagged_fields();
    r.expect_end();
    return r.status();
  };
  CHECK(read_tags(bytes_of({0x00})).ok());
  CHECK(read_tags(bytes_of({0x02, 0x00, 0x01, 0xaa, 0x03, 0x00})).ok());
  CHECK_FALSE(read_tags(bytes_of({0x02, 0x03, 0x00, 0x01, 0x00})).ok());  // 3 then 1
  CHECK_FALSE(read_tags(bytes_of({0x02, 0x01, 0x00, 0x01, 0x00})).ok());  // duplicate
  CHECK_FALSE(read_tags(bytes_of({0x01, 0x00, 0x05, 0xaa})).ok());        // size past the end
  CHECK_FALSE(read_tags(bytes_of({0xff, 0xff, 0xff, 0xff, 0x0f})).ok());  // huge count
  CHECK_FALSE(read_tags(bytes_of({0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00})).ok());

  const Buffer one = bytes_of({0x05});
  Reader not_flexible(one, false);
  not_flexible.tagged_fields();
  CHECK(not_flexible.position() == 0);
}

}  // namespace
}  // namespace strata::kafka
