// Byte-exact requests as the real clients put them on the wire (built by hand
// from Kafka's message schemas) and byte-exact answers Strata must give.

#include <catch2/catch.hpp>

#include <initializer_list>
#include <string_view>

#include "broker/kafka/protocol/frame.h"
#include "broker/kafka/protocol/request.h"
#include "broker/kafka/protocol/response.h"
#include "common/record_batch.h"
#include "common/record_batch_builder.h"

namespace strata::kafka {
namespace {

// Concatenates byte values and ASCII text into one buffer.
struct Bytes {
  Buffer out;
  Bytes& u8(std::initializer_list<int> values) {
    for (int v : values) out.push_back(static_cast<std::byte>(v));
    return *this;
  }
  Bytes& text(std::string_view s) {
    append(out, as_bytes(s));
    return *this;
  }
  Bytes& raw(ByteSpan b) {
    append(out, b);
    return *this;
  }
  // Prefixes a 4-byte big-endian size: the frame as a socket carries it.
  Buffer framed() const {
    Buffer f;
    const auto n = static_cast<std::uint32_t>(out.size());
    for (int shift : {24, 16, 8, 0}) f.push_back(static_cast<std::byte>((n >> shift) & 0xFF));
    append(f, out);
    return f;
  }
};

Request decode_ok(const Buffer& payload) {
  Result<Request> r = decode_request(payload);
  INFO(r.status().to_string());
  REQUIRE(r.ok());
  return std::move(r).value();
}

Buffer encode_ok(const Request& r) {
  Buffer out;
  REQUIRE(append_request(out, r.header, r.body).ok());
  return out;
}

TEST_CASE("librdkafka's ApiVersions v3 request decodes and re-encodes byte for byte",
          "[kafka][protocol][vectors]") {
  Bytes b;
  b.u8({0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01})  // key 18, v3, correlation 1
      .u8({0x00, 0x07}).text("rdkafka")                   // client_id keeps int16 length
      .u8({0x00})                                         // header tagged fields
      .u8({0x0b}).text("librdkafka")                      // compact string, 10 + 1
      .u8({0x06}).text("2.0.2")
      .u8({0x00});                                        // body tagged fields
  const Request r = decode_ok(b.out);
  CHECK(r.header == RequestHeader{18, 3, 1, "rdkafka"});
  const auto& body = std::get<ApiVersionsRequest>(r.body);
  CHECK(body.client_software_name == "librdkafka");
  CHECK(body.client_software_version == "2.0.2");
  CHECK(is_valid_client_software_field(body.client_software_name));
  CHECK(encode_ok(r) == b.framed());
}

TEST_CASE("ApiVersions v0 from kafka-python has an empty body", "[kafka][protocol][vectors]") {
  Bytes b;
  b.u8({0x00, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0c}).text("kafka-python");
  const Request r = decode_ok(b.out);
  CHECK(std::holds_alternative<ApiVersionsRequest>(r.body));
  CHECK(encode_ok(r) == b.framed());
}

TEST_CASE("client software fields follow KIP-511's pattern", "[kafka][protocol]") {
  CHECK(is_valid_client_software_field("librdkafka"));
  CHECK(is_valid_client_software_field("2.0.2-RC1"));
  CHECK(is_valid_client_software_field("a"));
  CHECK_FALSE(is_valid_client_software_field(""));
  CHECK_FALSE(is_valid_client_software_field("-lead"));
  CHECK_FALSE(is_valid_client_software_field("trail."));
  CHECK_FALSE(is_valid_client_software_field("has space"));
}

TEST_CASE("the answer to an unsupported ApiVersions version is v0 with error 35",
          "[kafka][protocol][vectors]") {
  Bytes expected;
  expected.u8({0x00, 0x00, 0x00, 0x2a})     // correlation id 42, response header v0
      .u8({0x00, 0x23})                     // error 35 UNSUPPORTED_VERSION
      .u8({0x00, 0x00, 0x00, 0x01})         // one api key
      .u8({0x00, 0x12, 0x00, 0x00, 0x00, 0x03});  // ApiVersions 0-3; no throttle in v0
  CHECK(encode_api_versions_unsupported(42) == expected.framed());

  SECTION("a v4 request still yields its correlation id from the header") {
    Bytes req;
    req.u8({0x00, 0x12, 0x00, 0x04, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x01}).text("x").u8({0x00});
    req.u8({0x05, 0x06, 0x07});  // a body from the future: never parsed
    std::size_t body_offset = 0;
    Result<RequestHeader> header = decode_request_header(req.out, body_offset);
    REQUIRE(header.ok());
    CHECK(header->correlation_id == 42);
    CHECK(body_offset == req.out.size() - 3);
    CHECK_FALSE(is_advertised(header->api_key, header->api_version));
    Result<RequestBody> body = decode_request_body(*header, ByteSpan(req.out).subspan(body_offset));
    CHECK(body.status().code() == ErrorCode::unsupported);
  }
}

TEST_CASE("the ApiVersions v3 answer lists every API and uses header v0",
          "[kafka][protocol][vectors]") {
  ApiVersionsResponse body = make_api_versions_response();
  REQUIRE(body.api_keys.size() == supported_apis().size());
  Buffer frame;
  REQUIRE(append_response(frame, 7, 3, body).ok());
  Bytes expected;
  expected.u8({0x00, 0x00, 0x00, 0x07, 0x00, 0x00})  // correlation id, no header tags; error 0
      .u8({static_cast<int>(body.api_keys.size() + 1)});
  for (const auto& k : body.api_keys) {
    expected.u8({0x00, k.api_key, 0x00, k.min_version, 0x00, k.max_version, 0x00});
  }
  expected.u8({0x00, 0x00, 0x00, 0x00, 0x00});  // throttle, tags
  CHECK(frame == expected.framed());
  CHECK(body.api_keys.front().api_key == 0);
  CHECK(body.api_keys.front().min_version == 0);  // Produce 0-7: librdkafka's codec gate
  CHECK(body.api_keys.front().max_version == 7);
}

TEST_CASE("kafka-python's Metadata v1 request: a topic list, and null for all topics",
          "[kafka][protocol][vectors]") {
  Bytes b;
  b.u8({0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x12}).text("kafka-python-2.0.2");
  Bytes listed = b;
  listed.u8({0x00, 0x00, 0x00, 0x01, 0x00, 0x06}).text("orders");
  Request r = decode_ok(listed.out);
  const auto& body = std::get<MetadataRequest>(r.body);
  REQUIRE(body.topics.has_value());
  REQUIRE(body.topics->size() == 1);
  CHECK((*body.topics)[0].name == "orders");
  CHECK(body.allow_auto_topic_creation);  // not on the wire before v4: the default
  CHECK(encode_ok(r) == listed.framed());

  Bytes all = b;
  all.u8({0xff, 0xff, 0xff, 0xff});
  CHECK_FALSE(std::get<MetadataRequest>(decode_ok(all.out).body).topics.has_value());

  SECTION("v0 cannot say null") {
    Bytes v0;
    v0.u8({0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
    CHECK(decode_request(v0.out).status().code() == ErrorCode::corruption);
  }
}

TEST_CASE("a Produce v7 request with one batch keeps the batch bytes unchanged",
          "[kafka][protocol][vectors]") {
  RecordBatchBuilder builder;
  REQUIRE(builder.append(1700000000000, as_bytes("k"), as_bytes("hello")).ok());
  Result<Buffer> batch = builder.build();
  REQUIRE(batch.ok());

  Bytes b;
  b.u8({0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x09, 0x00, 0x07}).text("rdkafka")
      .u8({0xff, 0xff})                // transactional_id null
      .u8({0xff, 0xff})                // acks -1
      .u8({0x00, 0x00, 0x75, 0x30})    // timeout 30000 ms
      .u8({0x00, 0x00, 0x00, 0x01, 0x00, 0x06}).text("orders")
      .u8({0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03});  // one partition: 3
  const auto n = static_cast<std::uint32_t>(batch->size());
  b.u8({0, 0, static_cast<int>(n >> 8), static_cast<int>(n & 0xff)}).raw(*batch);

  const Request r = decode_ok(b.out);
  const auto& body = std::get<ProduceRequest>(r.body);
  CHECK(is_served(r.header.api_key, r.header.api_version));
  CHECK_FALSE(body.transactional_id.has_value());
  CHECK(body.acks == -1);
  CHECK(body.timeout_ms == 30000);
  REQUIRE(body.topic_data.size() == 1);
  REQUIRE(body.topic_data[0].partition_data.size() == 1);
  const auto& part = body.topic_data[0].partition_data[0];
  CHECK(part.index == 3);
  CHECK(part.records == Records::of(*batch));
  // Borrowed, not copied: the span points into the frame.
  CHECK(part.records.bytes->data() == b.out.data() + (b.out.size() - batch->size()));
  CHECK(RecordBatchView::validate(*part.records.bytes).ok());
  CHECK(encode_ok(r) == b.framed());
}

TEST_CASE("Produce v0-2 decode but are not served", "[kafka][protocol][vectors]") {
  Bytes b;
  b.u8({0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x09, 0xff, 0xff})  // v2, null client id
      .u8({0x00, 0x01, 0x00, 0x00, 0x03, 0xe8})                        // acks 1, 1000 ms
      .u8({0x00, 0x00, 0x00, 0x01, 0x00, 0x01}).text("t")
      .u8({0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xab, 0xcd});
  const Request r = decode_ok(b.out);
  CHECK(is_advertised(r.header.api_key, r.header.api_version));
  CHECK_FALSE(is_served(r.header.api_key, r.header.api_version));
  ProduceResponse answer;
  answer.responses.push_back({"t", {{.index = 0, .error_code = 35}}});
  Buffer frame;
  CHECK(append_response(frame, r.header.correlation_id, 2, answer).ok());
}

TEST_CASE("a Fetch v11 request as librdkafka sends it", "[kafka][protocol][vectors]") {
  Bytes b;
  b.u8({0x00, 0x01, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x07}).text("rdkafka")
      .u8({0xff, 0xff, 0xff, 0xff})  // replica_id -1
      .u8({0x00, 0x00, 0x01, 0xf4})  // max_wait 500
      .u8({0x00, 0x00, 0x00, 0x01})  // min_bytes 1
      .u8({0x03, 0x20, 0x00, 0x00})  // max_bytes 52428800
      .u8({0x01})                    // read_committed
      .u8({0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff})  // session 0, epoch -1
      .u8({0x00, 0x00, 0x00, 0x01, 0x00, 0x06}).text("orders")
      .u8({0x00, 0x00, 0x00, 0x01})                          // one partition
      .u8({0x00, 0x00, 0x00, 0x02})                          // partition 2
      .u8({0xff, 0xff, 0xff, 0xff})                          // current_leader_epoch -1
      .u8({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a})  // fetch_offset 42
      .u8({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})  // log_start_offset -1
      .u8({0x00, 0x10, 0x00, 0x00})                          // partition_max_bytes 1 MiB
      .u8({0x00, 0x00, 0x00, 0x00})                          // no forgotten topics
      .u8({0x00, 0x00});                                     // rack_id ""
  const Request r = decode_ok(b.out);
  const auto& body = std::get<FetchRequest>(r.body);
  CHECK(body.replica_id == -1);
  CHECK(body.max_wait_ms == 500);
  CHECK(body.max_bytes == 52428800);
  CHECK(body.isolation_level == 1);
  CHECK(body.session_epoch == -1);
  REQUIRE(body.topics.size() == 1);
  CHECK(body.topics[0].topic == "orders");
  REQUIRE(body.topics[0].partitions.size() == 1);
  CHECK(body.topics[0].partitions[0].partition == 2);
  CHECK(body.topics[0].partitions[0].fetch_offset == 42);
  CHECK(body.topics[0].partitions[0].partition_max_bytes == 1048576);
  CHECK(encode_ok(r) == b.framed());
}

TEST_CASE("librdkafka's flexible OffsetFetch v7 request", "[kafka][protocol][vectors]") {
  Bytes b;
  b.u8({0x00, 0x09, 0x00, 0x07, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x07}).text("rdkafka").u8({0x00})
      .u8({0x02}).text("g")          // group_id
      .u8({0x02})                    // one topic (compact)
      .u8({0x02}).text("t")
      .u8({0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05})  // partitions [0, 5]
      .u8({0x00})                    // topic tags
      .u8({0x01})                    // require_stable
      .u8({0x00});                   // body tags
  const Request r = decode_ok(b.out);
  const auto& body = std::get<OffsetFetchRequest>(r.body);
  CHECK(body.group_id == "g");
  REQUIRE(body.topics.has_value());
  CHECK((*body.topics)[0].partition_indexes == std::vector<std::int32_t>{0, 5});
  CHECK(body.require_stable);
  CHECK(encode_ok(r) == b.framed());

  SECTION("unknown tagged fields in header, element and body are skipped") {
    Bytes t;
    t.u8({0x00, 0x09, 0x00, 0x07, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x07}).text("rdkafka")
        .u8({0x01, 0x07, 0x02, 0xaa, 0xbb})  // header: tag 7, 2 bytes
        .u8({0x02}).text("g").u8({0x02}).u8({0x02}).text("t")
        .u8({0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05})
        .u8({0x02, 0x00, 0x00, 0x05, 0x01, 0x09})  // topic: tag 0 empty, tag 5 one byte
        .u8({0x01})
        .u8({0x01, 0x7f, 0x03, 0x01, 0x02, 0x03});  // body: tag 127, 3 bytes
    const Request tagged = decode_ok(t.out);
    CHECK(tagged.header == r.header);
    CHECK(std::get<OffsetFetchRequest>(tagged.body) == body);
  }
}

TEST_CASE("the Java client's flexible DeleteRecords v2 request, and its answer (#15)",
          "[kafka][protocol][vectors]") {
  Bytes b;
  b.u8({0x00, 0x15, 0x00, 0x02, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x05}).text("admin").u8({0x00})
      .u8({0x02})                              // one topic (compact)
      .u8({0x04}).text("r-p")                  // name
      .u8({0x03})                              // two partitions
      .u8({0x00, 0x00, 0x00, 0x00})            // partition 0
      .u8({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x2c})  // offset 300
      .u8({0x00})                              // partition tags
      .u8({0x00, 0x00, 0x00, 0x02})            // partition 2
      .u8({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})  // -1: the high watermark
      .u8({0x00})
      .u8({0x00})                              // topic tags
      .u8({0x00, 0x00, 0x75, 0x30})            // timeout_ms 30000
      .u8({0x00});                             // body tags
  const Request r = decode_ok(b.out);
  const auto& body = std::get<DeleteRecordsRequest>(r.body);
  REQUIRE(body.topics.size() == 1);
  CHECK(body.topics[0].name == "r-p");
  REQUIRE(body.topics[0].partitions.size() == 2);
  CHECK(body.topics[0].partitions[0] == DeleteRecordsRequest::Partition{0, 300});
  CHECK(body.topics[0].partitions[1] == DeleteRecordsRequest::Partition{2, -1});
  CHECK(body.timeout_ms == 30000);
  CHECK(encode_ok(r) == b.framed());

  DeleteRecordsResponse response;
  response.topics.push_back({"r-p", {{0, 300, 0}, {2, -1, 1}}});
  Buffer frame;
  REQUIRE(append_response(frame, 42, 2, response).ok());
  Bytes want;
  want.u8({0x00, 0x00, 0x00, 0x2a, 0x00})      // correlation id, header v1 tags
      .u8({0x00, 0x00, 0x00, 0x00})            // throttle_time_ms
      .u8({0x02}).u8({0x04}).text("r-p").u8({0x03})
      .u8({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x00})
      .u8({0x00})
      .u8({0x00, 0x00, 0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01})
      .u8({0x00})
      .u8({0x00})                              // topic tags
      .u8({0x00});                             // body tags
  CHECK(frame == want.framed());
}

TEST_CASE("an OffsetForLeaderEpoch v4 request as the Java consumer validates a position",
          "[kafka][protocol][vectors]") {
  Bytes b;
  b.u8({0x00, 0x17, 0x00, 0x04, 0x00, 0x00, 0x00, 0x09})  // key 23, v4, correlation 9
      .u8({0x00, 0x01}).text("j")                         // client_id
      .u8({0x00})                                         // header tagged fields
      .u8({0xff, 0xff, 0xff, 0xff})                       // replica_id -1: a consumer
      .u8({0x02})                                         // one topic (compact array)
      .u8({0x07}).text("orders")                          // compact string
      .u8({0x02})                                         // one partition
      .u8({0x00, 0x00, 0x00, 0x03})                       // partition 3
      .u8({0x00, 0x00, 0x00, 0x05})                       // current_leader_epoch 5
      .u8({0x00, 0x00, 0x00, 0x04})                       // leader_epoch 4
      .u8({0x00, 0x00, 0x00});                            // partition, topic, body tags
  const Request r = decode_ok(b.out);
  const auto& body = std::get<OffsetForLeaderEpochRequest>(r.body);
  CHECK(body.replica_id == -1);
  REQUIRE(body.topics.size() == 1);
  CHECK(body.topics[0].topic == "orders");
  REQUIRE(body.topics[0].partitions.size() == 1);
  CHECK(body.topics[0].partitions[0] ==
        OffsetForLeaderEpochRequest::Topic::Partition{3, 5, 4});
  CHECK(encode_ok(r) == b.framed());

  SECTION("its answer: error, partition, leader epoch, end offset") {
    OffsetForLeaderEpochResponse response;
    response.topics.push_back({"orders", {{0, 3, 4, 120}}});
    Buffer frame;
    REQUIRE(append_response(frame, 9, 4, response).ok());
    Bytes expected;
    expected.u8({0x00, 0x00, 0x00, 0x09, 0x00})             // correlation 9, header v1 tags
        .u8({0x00, 0x00, 0x00, 0x00})                       // throttle_time_ms
        .u8({0x02}).u8({0x07}).text("orders").u8({0x02})
        .u8({0x00, 0x00})                                   // error_code
        .u8({0x00, 0x00, 0x00, 0x03})                       // partition
        .u8({0x00, 0x00, 0x00, 0x04})                       // leader_epoch
        .u8({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78})  // end_offset 120
        .u8({0x00, 0x00, 0x00});
    CHECK(frame == expected.framed());
  }
}

TEST_CASE("an OffsetForLeaderEpoch v0 request has neither replica id nor current epoch",
          "[kafka][protocol][vectors]") {
  Bytes b;
  b.u8({0x00, 0x17, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01}).text("f")
      .u8({0x00, 0x00, 0x00, 0x01}).u8({0x00, 0x01}).text("t")
      .u8({0x00, 0x00, 0x00, 0x01})
      .u8({0x00, 0x00, 0x00, 0x00})   // partition 0
      .u8({0x00, 0x00, 0x00, 0x02});  // leader_epoch 2
  const Request r = decode_ok(b.out);
  const auto& body = std::get<OffsetForLeaderEpochRequest>(r.body);
  CHECK(body.replica_id == OffsetForLeaderEpochRequest::kDebuggingReplicaId);
  CHECK(body.topics[0].partitions[0] == OffsetForLeaderEpochRequest::Topic::Partition{0, -1, 2});
  CHECK(encode_ok(r) == b.framed());
}

}  // namespace
}  // namespace strata::kafka
