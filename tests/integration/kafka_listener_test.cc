// The Kafka listener against the real broker: negotiation, metadata, topics,
// produce (acks 1, -1, 0), fetch (long poll), list offsets, idempotence,
// pipelining, and the same bytes through the native API.
#include <catch2/catch.hpp>

#include "common/record_batch.h"
#include "tests/integration/kafka_client.h"
#include "tests/integration/kafka_helpers.h"
#include "tests/integration/native_helpers.h"
#include "tests/support/broker_process.h"

namespace strata::testing {
namespace {

using namespace kafka;

std::string stored(Buffer batch, std::int64_t base_offset) {
  set_base_offset(batch, Offset(base_offset));
  set_partition_leader_epoch(batch, LeaderEpoch(0));  // the replica's epoch (standalone: 0)
  return std::string(as_string_view(batch));
}

// A started broker, a Kafka connection and a topic "t" of `partitions`.
struct Fixture {
  BrokerProcess broker;
  KafkaClient client;
  explicit Fixture(std::int32_t partitions = 1) {
    REQUIRE(broker.start());
    REQUIRE(client.connect(broker.kafka_address()));
    if (partitions > 0) {
      auto created = client.call<CreateTopicsResponse>(4, create_one("t", partitions));
      REQUIRE(created);
      REQUIRE(created->topics.at(0).error_code == 0);
    }
  }
};

std::int16_t produce_error(const ProduceResponse& r) {
  return r.responses.at(0).partition_responses.at(0).error_code;
}
std::int64_t produce_offset(const ProduceResponse& r) {
  return r.responses.at(0).partition_responses.at(0).base_offset;
}
const FetchResponse::Topic::Partition& fetched(const FetchResponse& r) {
  return r.responses.at(0).partitions.at(0);
}

}  // namespace

TEST_CASE("ApiVersions v0 to v3 advertise every API, v4 gets the v0 UNSUPPORTED_VERSION answer",
          "[integration][kafka]") {
  Fixture f(0);
  for (std::int16_t version = 0; version <= 3; ++version) {
    ApiVersionsRequest request;
    request.client_software_name = "strata-test";
    request.client_software_version = "1.0";
    auto answer = f.client.call<ApiVersionsResponse>(version, request);
    REQUIRE(answer);
    CHECK(answer->error_code == 0);
    CHECK(answer->api_keys == make_api_versions_response().api_keys);
  }
  // v4: header v2 (flexible), and the answer in v0 format.
  RequestHeader header{18, 4, 77, std::string("strata-test")};
  Buffer raw;
  std::size_t start = begin_frame(raw);
  Writer w(raw, true);
  write_request_header(w, header);
  w.unsigned_varint(1);  // compact empty software name
  w.unsigned_varint(1);
  w.unsigned_varint(0);  // no tagged fields
  REQUIRE(finish_frame(raw, start).ok());
  REQUIRE(f.client.send_raw(raw));
  auto answer = f.client.read_response<ApiVersionsResponse>(0);
  REQUIRE(answer);
  CHECK(answer->first == 77);
  CHECK(answer->second.error_code == to_int(KafkaError::unsupported_version));
  REQUIRE(answer->second.api_keys.size() == 1);
  CHECK(answer->second.api_keys[0].api_key == 18);
  CHECK(answer->second.api_keys[0].max_version == 3);
}

TEST_CASE("Metadata names this broker, its topics, and unknown topics as UNKNOWN_TOPIC_OR_PARTITION",
          "[integration][kafka]") {
  Fixture f(3);
  for (std::int16_t version : {0, 1, 4, 6}) {
    MetadataRequest all;
    if (version == 0) all.topics.emplace();  // v0: empty = all
    auto answer = f.client.call<MetadataResponse>(version, all);
    REQUIRE(answer);
    REQUIRE(answer->brokers.size() == 1);
    CHECK(std::to_string(answer->brokers[0].port) ==
          f.broker.kafka_address().substr(f.broker.kafka_address().rfind(':') + 1));
    bool found = false;
    for (const auto& t : answer->topics) {
      if (t.name != "t") continue;
      found = true;
      CHECK(t.partitions.size() == 3);
      CHECK(t.partitions[0].leader_id == answer->brokers[0].node_id);
    }
    CHECK(found);
  }
  MetadataRequest named;
  named.topics.emplace().push_back({"missing"});
  named.allow_auto_topic_creation = true;
  auto answer = f.client.call<MetadataResponse>(6, named);
  REQUIRE(answer);
  REQUIRE(answer->topics.size() == 1);
  CHECK(answer->topics[0].error_code == to_int(KafkaError::unknown_topic_or_partition));
}

TEST_CASE("Produce with acks 1, -1 and 0 appends, Fetch returns the batches with the high watermark",
          "[integration][kafka]") {
  Fixture f(1);
  const Buffer a = kafka_batch("a", 3);
  const Buffer b = kafka_batch("b", 2);
  const Buffer c = kafka_batch("c", 4);
  auto first = f.client.call<ProduceResponse>(7, produce_one("t", 0, a, 1));
  REQUIRE(first);
  CHECK(produce_error(*first) == 0);
  CHECK(produce_offset(*first) == 0);
  auto second = f.client.call<ProduceResponse>(3, produce_one("t", 0, b, -1));
  REQUIRE(second);
  CHECK(produce_offset(*second) == 3);
  // acks=0: no answer; the next request's answer comes first.
  REQUIRE(f.client.send(7, produce_one("t", 0, c, 0), 500));
  auto fetch = f.client.call<FetchResponse>(11, fetch_one("t", 0, 0, 2000, 1 << 30));
  REQUIRE(fetch);
  const auto& p = fetched(*fetch);
  CHECK(p.error_code == 0);
  CHECK(p.high_watermark == 9);
  CHECK(p.last_stable_offset == 9);
  CHECK(p.log_start_offset == 0);
  CHECK(bytes_of(p.records) == stored(a, 0) + stored(b, 3) + stored(c, 5));

  SECTION("fetching past the end is OFFSET_OUT_OF_RANGE") {
    auto out = f.client.call<FetchResponse>(4, fetch_one("t", 0, 100));
    REQUIRE(out);
    CHECK(fetched(*out).error_code == to_int(KafkaError::offset_out_of_range));
  }
  SECTION("unknown topics and partitions are UNKNOWN_TOPIC_OR_PARTITION") {
    auto p1 = f.client.call<ProduceResponse>(7, produce_one("t", 5, a));
    REQUIRE(p1);
    CHECK(produce_error(*p1) == to_int(KafkaError::unknown_topic_or_partition));
    auto p2 = f.client.call<FetchResponse>(11, fetch_one("nope", 0, 0));
    REQUIRE(p2);
    CHECK(fetched(*p2).error_code == to_int(KafkaError::unknown_topic_or_partition));
  }
  SECTION("a corrupt batch is CORRUPT_MESSAGE, zstd below v7 UNSUPPORTED_COMPRESSION_TYPE") {
    Buffer bad = kafka_batch("x", 2);
    bad.back() ^= std::byte{0xff};
    auto corrupt = f.client.call<ProduceResponse>(7, produce_one("t", 0, bad));
    REQUIRE(corrupt);
    CHECK(produce_error(*corrupt) == to_int(KafkaError::corrupt_message));
    RecordBatchOptions zstd;
    zstd.compression = Compression::zstd;
    auto refused = f.client.call<ProduceResponse>(6, produce_one("t", 0, kafka_batch("z", 2, zstd)));
    REQUIRE(refused);
    CHECK(produce_error(*refused) == to_int(KafkaError::unsupported_compression_type));
    auto old = f.client.call<ProduceResponse>(2, produce_one("t", 0, a));
    REQUIRE(old);
    CHECK(produce_error(*old) == to_int(KafkaError::unsupported_version));
  }
}

TEST_CASE("a long-polling Fetch answers as soon as records arrive, without blocking other connections",
          "[integration][kafka]") {
  Fixture f(1);
  // max_wait is the broker's cap (30 s), past the read's deadline below: an
  // answer at all means it came when the records did, not when the wait ran out.
  REQUIRE(f.client.send(11, fetch_one("t", 0, 0, 30000, 1), 41));
  KafkaClient other;
  REQUIRE(other.connect(f.broker.kafka_address()));
  auto meta = other.call<MetadataResponse>(1, MetadataRequest{});
  REQUIRE(meta);
  const Buffer batch = kafka_batch("late", 2);
  auto produced = other.call<ProduceResponse>(7, produce_one("t", 0, batch));
  REQUIRE(produced);
  auto answer = f.client.read_response<FetchResponse>(11, std::chrono::seconds(20));
  REQUIRE(answer);
  CHECK(answer->first == 41);
  CHECK(bytes_of(fetched(answer->second).records) == stored(batch, 0));

  SECTION("with no records it answers empty at max_wait") {
    auto empty = f.client.call<FetchResponse>(11, fetch_one("t", 0, 2, 200, 1));
    REQUIRE(empty);
    CHECK(fetched(*empty).error_code == 0);
    CHECK(fetched(*empty).records.size() == 0);
  }
}

TEST_CASE("ListOffsets answers earliest, latest and by timestamp", "[integration][kafka]") {
  Fixture f(1);
  REQUIRE(f.client.call<ProduceResponse>(7, produce_one("t", 0, kafka_batch("a", 3))));
  REQUIRE(f.client.call<ProduceResponse>(7, produce_one("t", 0, kafka_batch("b", 3))));
  for (auto [ts, offset] : std::vector<std::pair<std::int64_t, std::int64_t>>{
           {-2, 0}, {-1, 6}, {1700000000000, 0}, {1800000000000, -1}}) {
    ListOffsetsRequest request;
    auto& t = request.topics.emplace_back();
    t.name = "t";
    t.partitions.push_back({0, ts});
    auto answer = f.client.call<ListOffsetsResponse>(2, request);
    REQUIRE(answer);
    CHECK(answer->topics.at(0).partitions.at(0).error_code == 0);
    CHECK(answer->topics.at(0).partitions.at(0).offset == offset);
  }
}

TEST_CASE("CreateTopics, CreatePartitions and DeleteTopics change the topic table",
          "[integration][kafka]") {
  Fixture f(0);
  auto created = f.client.call<CreateTopicsResponse>(2, create_one("orders", 2));
  REQUIRE(created);
  CHECK(created->topics.at(0).error_code == 0);
  auto again = f.client.call<CreateTopicsResponse>(2, create_one("orders", 2));
  REQUIRE(again);
  CHECK(again->topics.at(0).error_code == to_int(KafkaError::topic_already_exists));
  auto bad = f.client.call<CreateTopicsResponse>(3, create_one("bad name!", 1));
  REQUIRE(bad);
  CHECK(bad->topics.at(0).error_code == to_int(KafkaError::invalid_topic_exception));

  CreatePartitionsRequest more;
  more.topics.push_back({"orders", 4, std::nullopt});
  more.timeout_ms = 10000;
  auto grown = f.client.call<CreatePartitionsResponse>(1, more);
  REQUIRE(grown);
  CHECK(grown->results.at(0).error_code == 0);

  DescribeConfigsRequest describe;
  describe.resources.push_back({2, "orders", std::nullopt});
  auto configs = f.client.call<DescribeConfigsResponse>(1, describe);
  REQUIRE(configs);
  CHECK(configs->results.at(0).error_code == 0);
  CHECK_FALSE(configs->results.at(0).configs.empty());

  DeleteTopicsRequest del;
  del.topic_names = {"orders", "never"};
  del.timeout_ms = 10000;
  auto deleted = f.client.call<DeleteTopicsResponse>(3, del);
  REQUIRE(deleted);
  CHECK(deleted->responses.at(0).error_code == 0);
  CHECK(deleted->responses.at(1).error_code == to_int(KafkaError::unknown_topic_or_partition));
  MetadataRequest named;
  named.topics.emplace().push_back({"orders"});
  auto meta = f.client.call<MetadataResponse>(4, named);
  REQUIRE(meta);
  CHECK(meta->topics.at(0).error_code == to_int(KafkaError::unknown_topic_or_partition));
}

TEST_CASE("an idempotent retry gets its original offset, out-of-order and stale epochs are refused",
          "[integration][kafka][idempotence]") {
  Fixture f(1);
  auto init = f.client.call<InitProducerIdResponse>(4, InitProducerIdRequest{});
  REQUIRE(init);
  REQUIRE(init->error_code == 0);
  RecordBatchOptions o;
  o.producer_id = ProducerId(init->producer_id);
  o.producer_epoch = init->producer_epoch;
  auto batch_at = [&](std::int32_t sequence, int records) {
    RecordBatchOptions opts = o;
    opts.base_sequence = sequence;
    return kafka_batch("s" + std::to_string(sequence), records, opts);
  };
  const Buffer first = batch_at(0, 3);
  auto a = f.client.call<ProduceResponse>(7, produce_one("t", 0, first));
  auto b = f.client.call<ProduceResponse>(7, produce_one("t", 0, batch_at(3, 2)));
  REQUIRE((a && b));
  CHECK(produce_offset(*a) == 0);
  CHECK(produce_offset(*b) == 3);
  auto retry = f.client.call<ProduceResponse>(7, produce_one("t", 0, first));
  REQUIRE(retry);
  CHECK(produce_error(*retry) == 0);
  CHECK(produce_offset(*retry) == 0);
  auto gap = f.client.call<ProduceResponse>(7, produce_one("t", 0, batch_at(9, 1)));
  REQUIRE(gap);
  CHECK(produce_error(*gap) == to_int(KafkaError::out_of_order_sequence_number));
  // The log holds each batch once.
  auto fetch = f.client.call<FetchResponse>(11, fetch_one("t", 0, 0));
  REQUIRE(fetch);
  CHECK(fetched(*fetch).high_watermark == 5);

  SECTION("after a restart the state is rebuilt from the log") {
    REQUIRE(f.broker.stop() == 0);
    BrokerProcess::Options options;
    options.data_dir = f.broker.data_dir();
    BrokerProcess again(options);
    REQUIRE(again.start());
    KafkaClient client;
    REQUIRE(client.connect(again.kafka_address()));
    auto replay = client.call<ProduceResponse>(7, produce_one("t", 0, first));
    REQUIRE(replay);
    CHECK(produce_error(*replay) == 0);
    CHECK(produce_offset(*replay) == 0);
  }
  SECTION("an older epoch is INVALID_PRODUCER_EPOCH") {
    RecordBatchOptions newer = o;
    newer.producer_epoch = static_cast<std::int16_t>(o.producer_epoch + 1);
    newer.base_sequence = 0;
    auto bumped = f.client.call<ProduceResponse>(7, produce_one("t", 0, kafka_batch("n", 1, newer)));
    REQUIRE(bumped);
    CHECK(produce_error(*bumped) == 0);
    auto stale = f.client.call<ProduceResponse>(7, produce_one("t", 0, batch_at(5, 1)));
    REQUIRE(stale);
    CHECK(produce_error(*stale) == to_int(KafkaError::invalid_producer_epoch));
  }
}

TEST_CASE("pipelined requests are answered in request order", "[integration][kafka]") {
  Fixture f(1);
  // A long poll first: everything behind it waits for its answer.
  REQUIRE(f.client.send(11, fetch_one("t", 0, 0, 300, 1), 1));
  REQUIRE(f.client.send(1, MetadataRequest{}, 2));
  REQUIRE(f.client.send(0, ApiVersionsRequest{}, 3));
  const Buffer batch = kafka_batch("p", 1);
  REQUIRE(f.client.send(7, produce_one("t", 0, batch), 4));
  REQUIRE(f.client.send(4, fetch_one("t", 0, 0, 0, 0), 5));
  std::vector<std::int32_t> ids;
  auto id_of = [](const auto& answer) {
    REQUIRE(answer);
    return answer->first;
  };
  ids.push_back(id_of(f.client.read_response<FetchResponse>(11)));
  ids.push_back(id_of(f.client.read_response<MetadataResponse>(1)));
  ids.push_back(id_of(f.client.read_response<ApiVersionsResponse>(0)));
  ids.push_back(id_of(f.client.read_response<ProduceResponse>(7)));
  ids.push_back(id_of(f.client.read_response<FetchResponse>(4)));
  CHECK(ids == std::vector<std::int32_t>{1, 2, 3, 4, 5});
}

TEST_CASE("batches produced through Kafka and through the native API read back identically",
          "[integration][kafka][native]") {
  Fixture f(1);
  auto channel = connect(f.broker.native_address());
  const Buffer via_kafka = kafka_batch("k", 4);
  auto produced = f.client.call<ProduceResponse>(7, produce_one("t", 0, via_kafka));
  REQUIRE(produced);
  REQUIRE(produce_offset(*produced) == 0);
  const Buffer via_native = make_batch("n", 3);
  auto native_answers = produce(*channel, {produce_request(1, "t", 0, via_native)});
  REQUIRE(native_answers.size() == 1);
  REQUIRE(native_answers[0].base_offset() == 4);

  const std::string expected = stored(via_kafka, 0) + stored(via_native, 4);
  v1::FetchRequest native_fetch;
  native_fetch.set_topic("t");
  native_fetch.set_max_wait_ms(100);
  native_fetch.add_partitions()->set_partition(0);
  auto messages = fetch_until(*channel, native_fetch, [&](const auto& so_far) {
    return fetched_bytes(so_far, 0).size() >= expected.size();
  });
  CHECK(fetched_bytes(messages, 0) == expected);
  auto kafka_fetch = f.client.call<FetchResponse>(11, fetch_one("t", 0, 0));
  REQUIRE(kafka_fetch);
  CHECK(bytes_of(fetched(*kafka_fetch).records) == expected);
}

TEST_CASE("pipelined Produce requests of one connection append in the order they were sent (#13)",
          "[integration][kafka][ordering]") {
  Fixture f(1);
  // Far more requests than the pool has threads, none waiting for the one
  // before: before #13 they raced to the partition and some landed out of order.
  constexpr int kRequests = 200;
  constexpr int kRecordsEach = 3;
  for (int i = 0; i < kRequests; ++i) {
    REQUIRE(f.client.send(7, produce_one("t", 0, kafka_batch("r" + std::to_string(i), kRecordsEach)),
                          1000 + i));
  }
  // A Fetch and a ListOffsets sent right behind the last Produce see it.
  REQUIRE(f.client.send(11, fetch_one("t", 0, (kRequests - 1) * kRecordsEach, 0, 0), 5000));
  ListOffsetsRequest latest;
  auto& latest_topic = latest.topics.emplace_back();
  latest_topic.name = "t";
  latest_topic.partitions.push_back({0, -1});
  REQUIRE(f.client.send(2, latest, 5001));

  std::vector<std::int64_t> offsets;
  for (int i = 0; i < kRequests; ++i) {
    auto answer = f.client.read_response<ProduceResponse>(7);
    REQUIRE(answer);
    CHECK(answer->first == 1000 + i);
    REQUIRE(produce_error(answer->second) == 0);
    offsets.push_back(produce_offset(answer->second));
  }
  std::vector<std::int64_t> in_order;
  for (int i = 0; i < kRequests; ++i) in_order.push_back(std::int64_t{i} * kRecordsEach);
  CHECK(offsets == in_order);

  auto fetch = f.client.read_response<FetchResponse>(11);
  REQUIRE(fetch);
  CHECK(fetched(fetch->second).high_watermark == kRequests * kRecordsEach);
  CHECK(bytes_of(fetched(fetch->second).records).find("r" + std::to_string(kRequests - 1) + "-0") !=
        std::string::npos);
  auto listed = f.client.read_response<ListOffsetsResponse>(2);
  REQUIRE(listed);
  CHECK(listed->second.topics.at(0).partitions.at(0).offset == kRequests * kRecordsEach);
}

TEST_CASE("an idempotent producer's pipelined batches are all accepted in order, and a resend of "
          "any of the last five gets its original offsets (#13)",
          "[integration][kafka][ordering][idempotence]") {
  Fixture f(1);
  auto init = f.client.call<InitProducerIdResponse>(4, InitProducerIdRequest{});
  REQUIRE(init);
  REQUIRE(init->error_code == 0);
  auto batch_at = [&](std::int32_t sequence, int records) {
    RecordBatchOptions options;
    options.producer_id = ProducerId(init->producer_id);
    options.producer_epoch = init->producer_epoch;
    options.base_sequence = sequence;
    return kafka_batch("s" + std::to_string(sequence), records, options);
  };
  constexpr int kBatches = 100;
  constexpr int kRecordsEach = 2;
  std::vector<Buffer> sent;
  for (int i = 0; i < kBatches; ++i) {
    sent.push_back(batch_at(i * kRecordsEach, kRecordsEach));
    REQUIRE(f.client.send(7, produce_one("t", 0, sent.back()), i));
  }
  for (int i = 0; i < kBatches; ++i) {
    auto answer = f.client.read_response<ProduceResponse>(7);
    REQUIRE(answer);
    REQUIRE(produce_error(answer->second) == 0);  // never OUT_OF_ORDER_SEQUENCE_NUMBER
    CHECK(produce_offset(answer->second) == std::int64_t{i} * kRecordsEach);
  }
  // The last five again, pipelined, as a client resends after a timeout.
  for (int i = kBatches - 5; i < kBatches; ++i) {
    REQUIRE(f.client.send(7, produce_one("t", 0, sent[static_cast<std::size_t>(i)]), 1000 + i));
  }
  for (int i = kBatches - 5; i < kBatches; ++i) {
    auto answer = f.client.read_response<ProduceResponse>(7);
    REQUIRE(answer);
    CHECK(produce_error(answer->second) == 0);
    CHECK(produce_offset(answer->second) == std::int64_t{i} * kRecordsEach);
  }
  // A real gap is still refused, and nothing was appended twice.
  auto gap = f.client.call<ProduceResponse>(7, produce_one("t", 0, batch_at(kBatches * kRecordsEach + 1, 1)));
  REQUIRE(gap);
  CHECK(produce_error(*gap) == to_int(KafkaError::out_of_order_sequence_number));
  auto fetch = f.client.call<FetchResponse>(11, fetch_one("t", 0, 0));
  REQUIRE(fetch);
  CHECK(fetched(*fetch).high_watermark == kBatches * kRecordsEach);
}

}  // namespace strata::testing
