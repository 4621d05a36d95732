// Hostile input through the full request path: every truncation, every
// single-byte corruption, oversized counts and unknown keys end in a clean
// error Status (never a crash, a sanitizer report or a large allocation).

#include <catch2/catch.hpp>

#include <climits>
#include <string>

#include "broker/kafka/protocol/frame.h"
#include "broker/kafka/protocol/request.h"
#include "broker/kafka/protocol/response.h"
#include "tests/unit/kafka/message_samples.h"

namespace strata::kafka {
namespace {

using testing::sample_for;

Buffer payload_for(ApiKey key, std::int16_t version) {
  Buffer frame;
  const RequestHeader header{to_int(key), version, 1, "hostile"};
  REQUIRE(append_request(frame, header, sample_for<RequestBody>(key)).ok());
  return Buffer(frame.begin() + kFrameSizeBytes, frame.end());
}

Buffer response_payload_for(ApiKey key, std::int16_t version) {
  Buffer frame;
  REQUIRE(append_response(frame, 1, version, sample_for<ResponseBody>(key)).ok());
  return Buffer(frame.begin() + kFrameSizeBytes, frame.end());
}

TEST_CASE("a request truncated at any byte is a corruption error",
          "[kafka][protocol][hostile]") {
  for (const ApiVersionRange& api : supported_apis()) {
    for (std::int16_t v : {api.min_version, api.max_version}) {
      INFO(api.name << " v" << v);
      const Buffer payload = payload_for(api.api_key, v);
      REQUIRE(decode_request(payload).ok());
      for (std::size_t n = 0; n < payload.size(); ++n) {
        // A copy of exactly n bytes, so ASan sees any read past the end.
        const Buffer cut(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(n));
        Result<Request> r = decode_request(cut);
        REQUIRE_FALSE(r.ok());
        REQUIRE(r.status().code() == ErrorCode::corruption);
      }
    }
  }
}

TEST_CASE("a response truncated at any byte is a corruption error",
          "[kafka][protocol][hostile]") {
  for (const ApiVersionRange& api : supported_apis()) {
    const Buffer payload = response_payload_for(api.api_key, api.max_version);
    for (std::size_t n = 0; n < payload.size(); ++n) {
      const Buffer cut(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(n));
      REQUIRE_FALSE(decode_response(to_int(api.api_key), api.max_version, cut).ok());
    }
  }
}

TEST_CASE("trailing bytes after a complete request are refused", "[kafka][protocol][hostile]") {
  Buffer payload = payload_for(ApiKey::heartbeat, 3);
  payload.push_back(std::byte{0});
  CHECK(decode_request(payload).status().code() == ErrorCode::corruption);
}

TEST_CASE("every single-byte change decodes or fails cleanly", "[kafka][protocol][hostile]") {
  for (const ApiVersionRange& api : supported_apis()) {
    const Buffer payload = payload_for(api.api_key, api.max_version);
    for (std::size_t i = 0; i < payload.size(); ++i) {
      for (int value : {0x00, 0x7f, 0x80, 0xff}) {
        Buffer bad = payload;
        bad[i] = static_cast<std::byte>(value);
        Result<Request> r = decode_request(bad);
        if (!r.ok()) {
          const ErrorCode code = r.status().code();
          REQUIRE((code == ErrorCode::corruption || code == ErrorCode::unsupported));
        }
      }
    }
  }
}

TEST_CASE("unknown api keys and versions are unsupported, not malformed",
          "[kafka][protocol][hostile]") {
  auto with_key_version = [](int key, int version) {
    Buffer p = to_buffer(std::string("\x00\x00\x00\x00\x00\x00\x00\x01\xff\xff", 10));
    p[0] = static_cast<std::byte>((key >> 8) & 0xff);
    p[1] = static_cast<std::byte>(key & 0xff);
    p[2] = static_cast<std::byte>((version >> 8) & 0xff);
    p[3] = static_cast<std::byte>(version & 0xff);
    return p;
  };
  CHECK(decode_request(with_key_version(17, 2)).status().code() == ErrorCode::unsupported);
  // 29: DescribeAcls, not served
  CHECK(decode_request(with_key_version(29, 0)).status().code() == ErrorCode::unsupported);
  CHECK(decode_request(with_key_version(-1, 0)).status().code() == ErrorCode::unsupported);
  CHECK(decode_request(with_key_version(0x7fff, 0)).status().code() == ErrorCode::unsupported);
  CHECK(decode_request(with_key_version(1, 3)).status().code() == ErrorCode::unsupported);
  // Fetch v12 would be flexible: its header has a tagged section, then the body is refused.
  Buffer fetch12 = with_key_version(1, 12);
  fetch12.push_back(std::byte{0});
  CHECK(decode_request(fetch12).status().code() == ErrorCode::unsupported);
  CHECK(decode_request(with_key_version(3, -1)).status().code() == ErrorCode::unsupported);
  // ApiVersions v0 has an empty body: this one is complete.
  CHECK(decode_request(with_key_version(18, 0)).ok());
}

TEST_CASE("huge counts and lengths in small frames fail without big allocations",
          "[kafka][protocol][hostile]") {
  const std::string header("\x00\x0f\x00\x00\x00\x00\x00\x01\xff\xff", 10);  // DescribeGroups v0
  SECTION("INT32_MAX groups in a 100-byte frame") {
    Buffer p = to_buffer(header + std::string("\x7f\xff\xff\xff", 4) + std::string(86, 'a'));
    CHECK(decode_request(p).status().code() == ErrorCode::corruption);
  }
  SECTION("a negative count where the array is not nullable") {
    Buffer p = to_buffer(header + std::string("\xff\xff\xff\xfe", 4));
    CHECK(decode_request(p).status().code() == ErrorCode::corruption);
    Buffer null_count = to_buffer(header + std::string("\xff\xff\xff\xff", 4));
    CHECK(decode_request(null_count).status().code() == ErrorCode::corruption);
  }
  SECTION("client_id length -2 or past the end") {
    Buffer minus_two = to_buffer(std::string("\x00\x0c\x00\x00\x00\x00\x00\x01\xff\xfe", 10));
    CHECK(decode_request(minus_two).status().code() == ErrorCode::corruption);
    Buffer past = to_buffer(std::string("\x00\x0c\x00\x00\x00\x00\x00\x01\x7f\xff", 10) + "ab");
    CHECK(decode_request(past).status().code() == ErrorCode::corruption);
  }
  SECTION("a flexible header whose tagged section claims 2^32-1 fields") {
    Buffer p = to_buffer(std::string("\x00\x12\x00\x03\x00\x00\x00\x01\xff\xff", 10) +
                         std::string("\xff\xff\xff\xff\x0f", 5));
    CHECK(decode_request(p).status().code() == ErrorCode::corruption);
  }
  SECTION("a Produce record set longer than the frame") {
    Buffer p = to_buffer(std::string("\x00\x00\x00\x07\x00\x00\x00\x01\xff\xff", 10) +
                         std::string("\xff\xff\x00\x01\x00\x00\x00\x00", 8) +
                         std::string("\x00\x00\x00\x01\x00\x01t\x00\x00\x00\x01", 11) +
                         std::string("\x00\x00\x00\x00\x7f\xff\xff\xff", 8) + "tiny");
    CHECK(decode_request(p).status().code() == ErrorCode::corruption);
  }
}

}  // namespace
}  // namespace strata::kafka
