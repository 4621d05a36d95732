// Every API at every advertised version: a sample with every field set
// encodes, decodes and re-encodes to the same bytes, for requests (through
// the full frame path) and responses.

#include <catch2/catch.hpp>

#include <string>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/frame.h"
#include "broker/kafka/protocol/request.h"
#include "broker/kafka/protocol/response.h"
#include "tests/unit/kafka/message_samples.h"

namespace strata::kafka {
namespace {

using testing::sample_for;

ByteSpan payload_of(const Buffer& frame) { return ByteSpan(frame).subspan(kFrameSizeBytes); }

Buffer request_frame(const RequestHeader& header, const RequestBody& body) {
  Buffer out;
  Status status = append_request(out, header, body);
  REQUIRE(status.ok());
  return out;
}

TEST_CASE("every request re-encodes to the same bytes at every advertised version",
          "[kafka][protocol]") {
  for (const ApiVersionRange& api : supported_apis()) {
    const RequestBody body = sample_for<RequestBody>(api.api_key);
    for (std::int16_t v = api.min_version; v <= api.max_version; ++v) {
      INFO(api.name << " v" << v);
      const RequestHeader header{to_int(api.api_key), v, 1000 + v, "client-" + std::to_string(v)};
      const Buffer frame = request_frame(header, body);
      Result<std::int32_t> size = read_frame_size(frame);
      REQUIRE(size.ok());
      CHECK(static_cast<std::size_t>(*size) == frame.size() - kFrameSizeBytes);

      Result<Request> decoded = decode_request(payload_of(frame));
      REQUIRE(decoded.ok());
      CHECK(decoded->header == header);
      CHECK(api_key_of(decoded->body) == api.api_key);
      CHECK(request_frame(decoded->header, decoded->body) == frame);
    }
  }
}

TEST_CASE("every response re-encodes to the same bytes at every advertised version",
          "[kafka][protocol]") {
  for (const ApiVersionRange& api : supported_apis()) {
    const ResponseBody body = sample_for<ResponseBody>(api.api_key);
    for (std::int16_t v = api.min_version; v <= api.max_version; ++v) {
      INFO(api.name << " v" << v);
      Buffer frame;
      REQUIRE(append_response(frame, 77 + v, v, body).ok());
      Result<Response> decoded = decode_response(to_int(api.api_key), v, payload_of(frame));
      REQUIRE(decoded.ok());
      CHECK(decoded->correlation_id == 77 + v);
      Buffer again;
      REQUIRE(append_response(again, decoded->correlation_id, v, decoded->body).ok());
      CHECK(again == frame);
    }
  }
}

TEST_CASE("a decoded request equals the original in the fields its version carries",
          "[kafka][protocol]") {
  SECTION("Fetch v11 keeps every field") {
    const auto body = std::get<FetchRequest>(sample_for<RequestBody>(ApiKey::fetch));
    const Buffer frame = request_frame({to_int(ApiKey::fetch), 11, 5, "c"}, body);
    Result<Request> decoded = decode_request(payload_of(frame));
    REQUIRE(decoded.ok());
    CHECK(std::get<FetchRequest>(decoded->body) == body);
  }
  SECTION("Fetch v4 drops fields newer than v4 and keeps their defaults") {
    const auto body = std::get<FetchRequest>(sample_for<RequestBody>(ApiKey::fetch));
    const Buffer frame = request_frame({to_int(ApiKey::fetch), 4, 5, "c"}, body);
    Result<Request> decoded = decode_request(payload_of(frame));
    REQUIRE(decoded.ok());
    const auto& got = std::get<FetchRequest>(decoded->body);
    CHECK(got.max_bytes == body.max_bytes);
    CHECK(got.isolation_level == body.isolation_level);
    CHECK(got.session_epoch == -1);
    CHECK(got.forgotten_topics_data.empty());
    CHECK(got.rack_id.empty());
    CHECK(got.topics[1].partitions[1].fetch_offset == body.topics[1].partitions[1].fetch_offset);
    CHECK(got.topics[1].partitions[1].log_start_offset == -1);
  }
  SECTION("OffsetFetch v7 (flexible) keeps every field") {
    const auto body = std::get<OffsetFetchRequest>(sample_for<RequestBody>(ApiKey::offset_fetch));
    const Buffer frame = request_frame({to_int(ApiKey::offset_fetch), 7, 5, "c"}, body);
    Result<Request> decoded = decode_request(payload_of(frame));
    REQUIRE(decoded.ok());
    CHECK(std::get<OffsetFetchRequest>(decoded->body) == body);
  }
}

TEST_CASE("response frames use header v1 exactly for flexible versions, except ApiVersions",
          "[kafka][protocol]") {
  Buffer heartbeat;
  REQUIRE(append_response(heartbeat, 9, 3, HeartbeatResponse{}).ok());
  CHECK(heartbeat.size() == 4 + 4 + 4 + 2);  // size, correlation id, throttle, error

  Buffer init_producer_id;
  REQUIRE(append_response(init_producer_id, 9, 2, InitProducerIdResponse{}).ok());
  // size, correlation id, header tags, throttle, error, producer id, epoch, body tags
  CHECK(init_producer_id.size() == 4 + 4 + 1 + 4 + 2 + 8 + 2 + 1);

  Buffer api_versions;
  REQUIRE(append_response(api_versions, 9, 3, ApiVersionsResponse{}).ok());
  // size, correlation id (no header tags), error, empty compact array, throttle, body tags
  CHECK(api_versions.size() == 4 + 4 + 2 + 1 + 4 + 1);
}

TEST_CASE("encoding refuses versions outside the advertised range and mismatched headers",
          "[kafka][protocol]") {
  Buffer out;
  CHECK(append_response(out, 1, 4, ApiVersionsResponse{}).code() == ErrorCode::invalid_argument);
  CHECK(append_response(out, 1, 12, FetchResponse{}).code() == ErrorCode::invalid_argument);
  CHECK(out.empty());
  CHECK(append_request(out, {to_int(ApiKey::fetch), 11, 1, {}}, MetadataRequest{}).code() ==
        ErrorCode::invalid_argument);
  CHECK(append_request(out, {to_int(ApiKey::metadata), 0, 1, {}}, MetadataRequest{}).code() ==
        ErrorCode::invalid_argument);  // v0 cannot carry a null topic list
}

}  // namespace
}  // namespace strata::kafka
