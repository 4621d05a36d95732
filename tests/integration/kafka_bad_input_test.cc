// Bad input on the Kafka port: each case gets an error answer or a closed
// connection, and afterwards the broker still answers /healthz and serves
// the records stored before.
#include <httplib.h>

#include <algorithm>
#include <random>

#include <catch2/catch.hpp>

#include "common/endian.h"
#include "common/record_batch_builder.h"
#include "common/record_batch.h"
#include "tests/integration/kafka_client.h"
#include "tests/integration/kafka_helpers.h"
#include "tests/support/broker_process.h"

namespace strata::testing {
namespace {

using namespace kafka;

Buffer be32(std::int32_t v) {
  Buffer out(4);
  store_be<std::int32_t>(out.data(), v);
  return out;
}

// A request frame with a hand-written header: key, version, correlation id, null client id.
Buffer raw_request(std::int16_t key, std::int16_t version, std::size_t body_bytes = 0) {
  Buffer frame = be32(static_cast<std::int32_t>(10 + body_bytes));
  Buffer header(10);
  store_be<std::int16_t>(header.data(), key);
  store_be<std::int16_t>(header.data() + 2, version);
  store_be<std::int32_t>(header.data() + 4, 9);
  store_be<std::int16_t>(header.data() + 8, -1);
  append(frame, header);
  frame.resize(frame.size() + body_bytes, std::byte{0x41});
  return frame;
}

// The broker is healthy and the batch stored before the bad input reads back.
void check_still_serving(BrokerProcess& broker, const Buffer& stored_batch) {
  httplib::Client http("http://" + broker.http_address());
  auto health = http.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  KafkaClient client;
  REQUIRE(client.connect(broker.kafka_address()));
  auto fetch = client.call<FetchResponse>(11, fetch_one("t", 0, 0));
  REQUIRE(fetch);
  Buffer as_stored = stored_batch;
  set_partition_leader_epoch(as_stored, LeaderEpoch(0));  // the replica's epoch (standalone: 0)
  const std::string expected(as_string_view(as_stored));
  CHECK(bytes_of(fetch->responses.at(0).partitions.at(0).records).substr(0, expected.size()) ==
        expected);
}

struct Fixture {
  BrokerProcess broker;
  Buffer batch = kafka_batch("kept", 3);
  explicit Fixture(std::vector<std::string> args = {})
      : broker(BrokerProcess::Options{"", "", std::move(args), std::chrono::milliseconds(20000)}) {
    REQUIRE(broker.start());
    KafkaClient client;
    REQUIRE(client.connect(broker.kafka_address()));
    auto created = client.call<CreateTopicsResponse>(4, create_one("t", 1));
    REQUIRE(created);
    REQUIRE(created->topics.at(0).error_code == 0);
    auto produced = client.call<ProduceResponse>(7, produce_one("t", 0, batch));
    REQUIRE(produced);
    REQUIRE(produced->responses.at(0).partition_responses.at(0).error_code == 0);
  }
};

}  // namespace

TEST_CASE("bad frames on the Kafka port close the connection and the broker keeps serving",
          "[integration][kafka][bad-input]") {
  Fixture f;
  KafkaClient bad;
  REQUIRE(bad.connect(f.broker.kafka_address()));

  SECTION("a frame size over the request limit, before any body byte") {
    REQUIRE(bad.send_raw(be32(100 * 1024 * 1024 + 1)));
    CHECK(bad.wait_closed());
  }
  SECTION("a size of 2 GiB - 1 (never allocated)") {
    REQUIRE(bad.send_raw(be32(0x7fffffff)));
    CHECK(bad.wait_closed());
  }
  SECTION("a negative size") {
    REQUIRE(bad.send_raw(be32(-5)));
    CHECK(bad.wait_closed());
  }
  SECTION("a zero size") {
    REQUIRE(bad.send_raw(be32(0)));
    CHECK(bad.wait_closed());
  }
  SECTION("a truncated size, then end of stream") {
    Buffer two = be32(100);
    two.resize(2);
    REQUIRE(bad.send_raw(two));
    bad.shutdown_write();
    CHECK(bad.wait_closed());
  }
  SECTION("a truncated body, then end of stream") {
    Buffer frame = raw_request(3, 1, 50);
    frame.resize(frame.size() - 30);
    REQUIRE(bad.send_raw(frame));
    bad.shutdown_write();
    CHECK(bad.wait_closed());
  }
  SECTION("a body that does not parse") {
    REQUIRE(bad.send_raw(raw_request(3, 1, 3)));
    CHECK(bad.wait_closed());
  }
  SECTION("a request that would decode to more memory than its decode budget") {
    // Metadata v4 naming 3 million empty topics: a 6 MB body that would be
    // 96 MB of topic structs, twice its 48 MB budget.
    constexpr std::int32_t kNames = 3'000'000;
    constexpr std::size_t kBody = 4 + 2 * std::size_t{kNames} + 1;
    Buffer frame = raw_request(3, 4, kBody);
    std::byte* body = frame.data() + 4 + 10;
    store_be<std::int32_t>(body, kNames);
    std::fill(body + 4, body + kBody - 1, std::byte{0});
    body[kBody - 1] = std::byte{1};
    REQUIRE(bad.send_raw(frame));
    CHECK(bad.wait_closed());
  }
  SECTION("an unknown API key") {
    REQUIRE(bad.send_raw(raw_request(999, 0)));
    CHECK(bad.wait_closed());
  }
  SECTION("an unsupported version of a known API") {
    REQUIRE(bad.send_raw(raw_request(3, 42)));
    CHECK(bad.wait_closed());
  }
  SECTION("garbage bytes") {
    std::mt19937 rng(42);
    Buffer garbage(4096);
    for (auto& b : garbage) b = static_cast<std::byte>(rng());
    (void)bad.send_raw(garbage);
    CHECK(bad.wait_closed());
  }
  SECTION("a TLS ClientHello on the plaintext port") {
    const unsigned char hello[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03};
    REQUIRE(bad.send_raw(ByteSpan(reinterpret_cast<const std::byte*>(hello), sizeof(hello))));
    CHECK(bad.wait_closed());
  }
  check_still_serving(f.broker, f.batch);
}

TEST_CASE("a frame that stops arriving is closed after the frame read timeout",
          "[integration][kafka][bad-input]") {
  Fixture f({"--kafka-frame-read-timeout-ms", "300"});
  KafkaClient slow;
  REQUIRE(slow.connect(f.broker.kafka_address()));
  Buffer frame = raw_request(3, 1, 100);
  frame.resize(20);
  REQUIRE(slow.send_raw(frame));
  CHECK(slow.wait_closed(std::chrono::seconds(10)));
  check_still_serving(f.broker, f.batch);
}

TEST_CASE("a client that stops reading responses is held back and closed, others are served",
          "[integration][kafka][bad-input]") {
  Fixture f({"--kafka-idle-timeout-ms", "1000"});
  // About 1 MiB per answer: enough to fill the socket buffers many times over.
  KafkaClient loader;
  REQUIRE(loader.connect(f.broker.kafka_address()));
  Buffer big;
  for (int i = 0; i < 16; ++i) {
    RecordBatchBuilder builder;
    const std::string value(60 * 1024, 'v');
    (void)builder.append(1700000000000, std::nullopt, as_bytes(value));
    Buffer b = builder.build().value();
    auto produced = loader.call<ProduceResponse>(7, produce_one("t", 0, b));
    REQUIRE(produced);
  }
  KafkaClient stuck;
  REQUIRE(stuck.connect(f.broker.kafka_address()));
  Buffer requests;
  for (std::int32_t id = 0; id < 200; ++id) {
    RequestHeader header{1, 11, id, std::string("stuck")};
    REQUIRE(append_request(requests, header, RequestBody(fetch_one("t", 0, 0))).ok());
  }
  (void)stuck.send_some(requests);  // whatever fits; never read an answer

  // Meanwhile another connection is answered at once.
  KafkaClient other;
  REQUIRE(other.connect(f.broker.kafka_address()));
  auto versions = other.call<ApiVersionsResponse>(0, ApiVersionsRequest{});
  REQUIRE(versions);
  CHECK(versions->error_code == 0);
  CHECK(stuck.wait_closed(std::chrono::seconds(20)));
  check_still_serving(f.broker, f.batch);
}

}  // namespace strata::testing
