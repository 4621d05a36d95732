// Framing limits and the request/response header versions.

#include <catch2/catch.hpp>

#include <climits>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/frame.h"
#include "broker/kafka/protocol/header.h"

namespace strata::kafka {
namespace {

TEST_CASE("frame sizes are accepted or refused before anything is allocated",
          "[kafka][protocol][frame]") {
  CHECK(check_frame_size(10).ok());
  CHECK(check_frame_size(kDefaultMaxFrameBytes).ok());
  CHECK(check_frame_size(kDefaultMaxFrameBytes + 1).code() == ErrorCode::too_large);
  CHECK(check_frame_size(INT32_MAX).code() == ErrorCode::too_large);
  CHECK(check_frame_size(0).code() == ErrorCode::corruption);
  CHECK(check_frame_size(-1).code() == ErrorCode::corruption);
  CHECK(check_frame_size(INT32_MIN).code() == ErrorCode::corruption);
  CHECK(check_frame_size(4, kDefaultMaxFrameBytes, kMinRequestFrameBytes).code() ==
        ErrorCode::corruption);
  // Before authentication Kafka allows 512 KiB.
  CHECK(check_frame_size(512 * 1024 + 1, 512 * 1024).code() == ErrorCode::too_large);

  SECTION("a TLS ClientHello read as a size is refused") {
    const Buffer hello = to_buffer("\x16\x03\x01\x02");
    CHECK(read_frame_size(hello).status().code() == ErrorCode::too_large);
  }
  SECTION("fewer than 4 bytes cannot hold a size") {
    const Buffer three = to_buffer("abc");
    CHECK(read_frame_size(three).status().code() == ErrorCode::corruption);
  }
  SECTION("begin/finish frame write the size of what follows") {
    Buffer out = to_buffer("xx");
    const std::size_t start = begin_frame(out);
    append(out, as_bytes("hello"));
    REQUIRE(finish_frame(out, start).ok());
    Result<std::int32_t> size = read_frame_size(ByteSpan(out).subspan(2));
    REQUIRE(size.ok());
    CHECK(*size == 5);
  }
}

TEST_CASE("request header v2 is used exactly for flexible versions", "[kafka][protocol][frame]") {
  CHECK(request_header_version(to_int(ApiKey::api_versions), 2) == 1);
  CHECK(request_header_version(to_int(ApiKey::api_versions), 3) == 2);
  CHECK(request_header_version(to_int(ApiKey::api_versions), 4) == 2);  // above our range
  CHECK(request_header_version(to_int(ApiKey::offset_fetch), 5) == 1);
  CHECK(request_header_version(to_int(ApiKey::offset_fetch), 6) == 2);
  CHECK(request_header_version(to_int(ApiKey::init_producer_id), 2) == 2);
  CHECK(request_header_version(to_int(ApiKey::list_groups), 3) == 2);
  CHECK(request_header_version(to_int(ApiKey::fetch), 11) == 1);
  CHECK(request_header_version(to_int(ApiKey::produce), 7) == 1);
  CHECK(request_header_version(999, 5) == 1);  // unknown key
}

TEST_CASE("response header v1 for flexible versions, but ApiVersions always v0",
          "[kafka][protocol][frame]") {
  CHECK(response_header_version(to_int(ApiKey::api_versions), 3) == 0);
  CHECK(response_header_version(to_int(ApiKey::offset_fetch), 7) == 1);
  CHECK(response_header_version(to_int(ApiKey::offset_fetch), 5) == 0);
  CHECK(response_header_version(to_int(ApiKey::metadata), 6) == 0);
}

TEST_CASE("a v2 request header keeps client_id's int16 length and adds tags",
          "[kafka][protocol][frame]") {
  const RequestHeader header{to_int(ApiKey::init_producer_id), 4, 99, "rdkafka"};
  Buffer buf;
  Writer w(buf, /*flexible=*/true);
  write_request_header(w, header);
  REQUIRE(w.ok());
  CHECK(buf.size() == 2 + 2 + 4 + 2 + 7 + 1);
  CHECK(buf[8] == std::byte{0x00});
  CHECK(buf[9] == std::byte{0x07});
  Reader r(buf, true);
  RequestHeader back;
  read_request_header(r, back);
  r.expect_end();
  REQUIRE(r.ok());
  CHECK(back == header);
  CHECK(r.flexible());  // the header restores the body's encoding flag

  SECTION("a null client_id") {
    const RequestHeader anonymous{to_int(ApiKey::metadata), 1, 5, std::nullopt};
    Buffer b2;
    Writer w2(b2, false);
    write_request_header(w2, anonymous);
    CHECK(b2.size() == 10);
    Reader r2(b2, false);
    RequestHeader back2;
    read_request_header(r2, back2);
    CHECK(back2 == anonymous);
  }
}

TEST_CASE("the API table matches the advertised ranges", "[kafka][protocol][frame]") {
  CHECK(supported_apis().size() == 24);
  CHECK(is_advertised(to_int(ApiKey::produce), 0));
  CHECK_FALSE(is_served(to_int(ApiKey::produce), 2));
  CHECK(is_served(to_int(ApiKey::produce), 3));
  CHECK_FALSE(is_advertised(to_int(ApiKey::produce), 8));
  CHECK_FALSE(is_advertised(to_int(ApiKey::fetch), 3));
  CHECK(is_advertised(to_int(ApiKey::fetch), 11));
  CHECK_FALSE(is_advertised(to_int(ApiKey::list_offsets), 0));
  CHECK(is_advertised(to_int(ApiKey::list_groups), 4));
  CHECK(is_advertised(17, 1));  // SaslHandshake
  CHECK_FALSE(is_flexible(17, 1));
  CHECK(is_flexible(36, 2));  // SaslAuthenticate
  CHECK_FALSE(is_advertised(36, 3));
  CHECK(is_advertised(to_int(ApiKey::delete_records), 2));
  CHECK(is_flexible(to_int(ApiKey::delete_records), 2));
  CHECK_FALSE(is_flexible(to_int(ApiKey::delete_records), 1));
  CHECK(api_name(3) == "Metadata");
  CHECK(api_name(77) == "api key 77");
  std::int16_t last = -1;
  for (const ApiVersionRange& api : supported_apis()) {
    CHECK(to_int(api.api_key) > last);
    last = to_int(api.api_key);
    CHECK(api.min_version <= api.min_served_version);
    CHECK(api.min_served_version <= api.max_version);
  }
}

}  // namespace
}  // namespace strata::kafka
