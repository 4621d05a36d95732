#include <cstdlib>

#include <httplib.h>

#include <catch2/catch.hpp>

#include "common/record_batch.h"
#include "common/record_batch_builder.h"
#include "tests/integration/native_helpers.h"
#include "tests/support/broker_process.h"
#include "tests/support/wait.h"

namespace strata::testing {
namespace {

// Fetches from `offset` until `bytes` bytes of batches arrived.
std::string fetch_bytes(grpc::Channel& channel, const std::string& topic, std::int32_t partition,
                        std::int64_t offset, std::size_t bytes) {
  auto messages = fetch_until(channel, fetch_request(topic, partition, offset),
                              [&](const auto& so_far) { return fetched_bytes(so_far, partition).size() >= bytes; });
  return fetched_bytes(messages, partition);
}

// The batch with its base offset set, as the log stores it.
std::string stored(Buffer batch, std::int64_t base_offset) {
  set_base_offset(batch, Offset(base_offset));
  set_partition_leader_epoch(batch, LeaderEpoch(0));  // the replica's epoch (standalone: 0)
  return as_string(batch);
}

}  // namespace

TEST_CASE("acks=all produce is fetched back byte for byte", "[integration][produce][fetch]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 2).error().code() == v1::NONE);

  const Buffer first = make_batch("a", 5);
  const Buffer second = make_batch("b", 3);
  auto answers = produce(*channel, {produce_request(7, "t", 1, first), produce_request(8, "t", 1, second),
                                    produce_request(9, "t", 0, first, v1::ACKS_LEADER)});
  REQUIRE(answers.size() == 3);
  std::map<std::uint64_t, v1::ProduceResponse> by_id;
  for (const auto& a : answers) by_id[a.correlation_id()] = a;
  CHECK(by_id[7].header().error().code() == v1::NONE);
  CHECK(by_id[7].base_offset() == 0);
  CHECK(by_id[8].base_offset() == 5);
  CHECK(by_id[9].base_offset() == 0);

  const std::string expected = stored(first, 0) + stored(second, 5);
  CHECK(fetch_bytes(*channel, "t", 1, 0, expected.size()) == expected);

  SECTION("a fetch at the end waits and then streams new records") {
    auto stub = v1::FetchService::NewStub(channel);
    grpc::ClientContext context;
    set_deadline(context);
    auto reader = stub->Fetch(&context, fetch_request("t", 1, 8, 2000));
    REQUIRE(produce(*channel, {produce_request(10, "t", 1, make_batch("c", 2))}).size() == 1);
    v1::FetchResponse message;
    std::string got;
    for (int i = 0; i < 50 && got.empty() && reader->Read(&message); ++i) got = fetched_bytes({message}, 1);
    CHECK(got == stored(make_batch("c", 2), 8));
    context.TryCancel();
    while (reader->Read(&message)) {
    }
    (void)reader->Finish();
  }
}

TEST_CASE("a fetch outside the log reports the valid range", "[integration][fetch]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 1).error().code() == v1::NONE);
  REQUIRE(produce(*channel, {produce_request(1, "t", 0, make_batch("a", 4))}).size() == 1);

  auto messages = fetch_until(*channel, fetch_request("t", 0, 99), [](const auto&) { return true; });
  REQUIRE(messages.size() >= 1);
  REQUIRE(messages[0].partitions_size() == 1);
  const auto& p = messages[0].partitions(0);
  CHECK(p.header().error().code() == v1::OFFSET_OUT_OF_RANGE);
  CHECK(p.out_of_range().requested_offset() == 99);
  CHECK(p.out_of_range().log_start_offset() == 0);
  CHECK(p.out_of_range().log_end_offset() == 4);

  auto unknown = fetch_until(*channel, fetch_request("nope", 0, 0), [](const auto&) { return true; });
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].error().code() == v1::UNKNOWN_TOPIC);
}

TEST_CASE("bad batches are refused and the partition keeps serving earlier records",
          "[integration][produce]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 1, {{"max.message.bytes", "2000"}}).error().code() == v1::NONE);
  const Buffer good = make_batch("good", 3);
  Buffer corrupt = make_batch("bad", 3);
  corrupt.back() ^= std::byte{0x5a};
  const Buffer big = make_batch(std::string(3000, 'x'), 1);

  auto answers = produce(*channel, {produce_request(1, "t", 0, good), produce_request(2, "t", 0, corrupt),
                                    produce_request(3, "t", 0, big), produce_request(4, "nope", 0, good),
                                    produce_request(5, "t", 7, good), produce_request(6, "t", 0, good)});
  REQUIRE(answers.size() == 6);
  std::map<std::uint64_t, v1::ErrorCode> codes;
  for (const auto& a : answers) codes[a.correlation_id()] = a.header().error().code();
  CHECK(codes[1] == v1::NONE);
  CHECK(codes[2] == v1::CORRUPT_RECORD);
  CHECK(codes[3] == v1::RECORD_TOO_LARGE);
  CHECK(codes[4] == v1::UNKNOWN_TOPIC);
  CHECK(codes[5] == v1::UNKNOWN_PARTITION);
  CHECK(codes[6] == v1::NONE);

  const std::string expected = stored(good, 0) + stored(good, 3);
  CHECK(fetch_bytes(*channel, "t", 0, 0, expected.size()) == expected);
}

namespace {

v1::InitProducerIdResponse init_producer_id(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::ProduceService::NewStub(channel);
  grpc::ClientContext context;
  set_deadline(context);
  v1::InitProducerIdResponse response;
  const grpc::Status st = stub->InitProducerId(&context, v1::InitProducerIdRequest{}, &response);
  REQUIRE(st.ok());
  return response;
}

}  // namespace

TEST_CASE("a native idempotent batch retried gets its original offset and is stored once",
          "[integration][produce][idempotence]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 1).error().code() == v1::NONE);
  const v1::InitProducerIdResponse init = init_producer_id(channel);
  REQUIRE(init.error().code() == v1::NONE);
  REQUIRE(init.producer_id() >= 0);
  CHECK(init.producer_epoch() == 0);
  CHECK(init_producer_id(channel).producer_id() != init.producer_id());

  // `records` values from `sequence` on, as the idempotent producer writes them.
  auto batch_at = [&](std::int32_t sequence, int records) {
    RecordBatchOptions options;
    options.producer_id = ProducerId(init.producer_id());
    options.producer_epoch = static_cast<std::int16_t>(init.producer_epoch());
    options.base_sequence = sequence;
    RecordBatchBuilder builder(options);
    for (int i = 0; i < records; ++i) {
      const std::string value = "s" + std::to_string(sequence + i);
      REQUIRE(builder.append(1700000000000 + i, std::nullopt, as_bytes(value)).ok());
    }
    return builder.build().value();
  };
  const Buffer first = batch_at(0, 3);
  const Buffer second = batch_at(3, 2);
  auto answers = produce(*channel, {produce_request(1, "t", 0, first), produce_request(2, "t", 0, second)});
  REQUIRE(answers.size() == 2);
  for (const auto& a : answers) REQUIRE(a.header().error().code() == v1::NONE);
  CHECK(answers[0].base_offset() == 0);
  CHECK(answers[1].base_offset() == 3);

  // The retry comes on a new stream, as after a reconnect.
  auto retried = produce(*channel, {produce_request(3, "t", 0, first)});
  REQUIRE(retried.size() == 1);
  CHECK(retried[0].header().error().code() == v1::NONE);
  CHECK(retried[0].base_offset() == 0);
  auto gap = produce(*channel, {produce_request(4, "t", 0, batch_at(9, 1))});
  REQUIRE(gap.size() == 1);
  CHECK(gap[0].header().error().code() == v1::OUT_OF_ORDER_SEQUENCE);
  CHECK(gap[0].base_offset() == -1);

  const std::string expected = stored(first, 0) + stored(second, 3);
  CHECK(fetch_bytes(*channel, "t", 0, 0, expected.size()) == expected);

  SECTION("after a restart the retry still gets its offset and ids are not handed out again") {
    REQUIRE(broker.stop() == 0);
    BrokerProcess::Options options;
    options.data_dir = broker.data_dir();
    BrokerProcess again(options);
    REQUIRE(again.start());
    auto channel2 = connect(again.native_address());
    auto replay = produce(*channel2, {produce_request(5, "t", 0, second)});
    REQUIRE(replay.size() == 1);
    CHECK(replay[0].header().error().code() == v1::NONE);
    CHECK(replay[0].base_offset() == 3);
    const v1::InitProducerIdResponse later = init_producer_id(channel2);
    CHECK(later.error().code() == v1::NONE);
    CHECK(later.producer_id() > init.producer_id() + 1);
  }
}

TEST_CASE("a client that cancels mid-stream disturbs nothing", "[integration][produce]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 1).error().code() == v1::NONE);
  {
    auto stub = v1::ProduceService::NewStub(channel);
    grpc::ClientContext context;
    set_deadline(context);
    auto stream = stub->Produce(&context);
    for (int i = 0; i < 20; ++i) (void)stream->Write(produce_request(i, "t", 0, make_batch("x", 2)));
    context.TryCancel();
    (void)stream->Finish();
  }
  const Buffer after = make_batch("after", 1);
  auto answers = produce(*channel, {produce_request(100, "t", 0, after)});
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].header().error().code() == v1::NONE);
  // Whatever prefix of the cancelled stream was appended is whole batches,
  // each stored once, and the later batch follows them.
  const std::int64_t end = answers[0].base_offset();
  REQUIRE(end % 2 == 0);
  REQUIRE(end >= 0);
  REQUIRE(end <= 40);
  std::string expected;
  for (std::int64_t offset = 0; offset < end; offset += 2) {
    expected += stored(make_batch("x", 2), offset);
  }
  expected += stored(after, end);
  CHECK(fetch_bytes(*channel, "t", 0, 0, expected.size()) == expected);
}

TEST_CASE("every acked batch and committed offset survives SIGKILL and restart",
          "[integration][durability]") {
  TempDir dir("strata-restart");
  BrokerProcess::Options options;
  options.data_dir = dir.path() / "data";
  std::string expected;
  {
    BrokerProcess broker(options);
    REQUIRE(broker.start());
    auto channel = connect(broker.native_address());
    REQUIRE(create_topic(*channel, "t", 1).error().code() == v1::NONE);
    std::vector<v1::ProduceRequest> requests;
    for (int i = 0; i < 20; ++i) requests.push_back(produce_request(i, "t", 0, make_batch("r" + std::to_string(i), 3)));
    auto answers = produce(*channel, requests);
    REQUIRE(answers.size() == 20);
    for (int i = 0; i < 20; ++i) {
      REQUIRE(answers[static_cast<std::size_t>(i)].header().error().code() == v1::NONE);
      expected += stored(make_batch("r" + std::to_string(i), 3), answers[static_cast<std::size_t>(i)].base_offset());
    }
    auto offsets = v1::OffsetsService::NewStub(channel);
    grpc::ClientContext context;
    set_deadline(context);
    v1::OffsetCommitRequest commit;
    commit.set_group_id("g");
    commit.set_generation_id(-1);
    auto* p = commit.add_partitions();
    p->mutable_topic_partition()->set_topic("t");
    p->mutable_topic_partition()->set_partition(0);
    p->set_offset(42);
    p->set_metadata("m");
    v1::OffsetCommitResponse response;
    REQUIRE(offsets->OffsetCommit(&context, commit, &response).ok());
    REQUIRE(response.partitions_size() == 1);
    REQUIRE(response.partitions(0).error().code() == v1::NONE);
    broker.kill();
  }
  BrokerProcess broker(options);
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  CHECK(fetch_bytes(*channel, "t", 0, 0, expected.size()) == expected);

  auto offsets = v1::OffsetsService::NewStub(channel);
  grpc::ClientContext context;
  set_deadline(context);
  v1::OffsetFetchRequest request;
  request.set_group_id("g");
  auto* tp = request.add_partitions();
  tp->set_topic("t");
  tp->set_partition(0);
  v1::OffsetFetchResponse response;
  REQUIRE(offsets->OffsetFetch(&context, request, &response).ok());
  REQUIRE(response.partitions_size() == 1);
  CHECK(response.partitions(0).offset() == 42);
  CHECK(response.partitions(0).metadata() == "m");
  CHECK(broker.stop() == 0);
}

TEST_CASE("/healthz and /metrics answer", "[integration][http]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 1).error().code() == v1::NONE);
  REQUIRE(produce(*channel, {produce_request(1, "t", 0, make_batch("a", 3))}).size() == 1);
  httplib::Client http("http://" + broker.http_address());
  auto health = http.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body == "ok");
  auto metrics = http.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->body.find("strata_partition_log_end_offset{topic=\"t\",partition=\"0\"} 3") != std::string::npos);
  CHECK(metrics->body.find("strata_requests_total{api=\"Produce\",protocol=\"native\"} 1") != std::string::npos);
  CHECK(metrics->body.find("strata_request_latency_seconds_bucket{api=\"CreateTopic\"") != std::string::npos);
  // The acks=all produce waited for a group-commit cycle, which is counted:
  // the Flusher reports a cycle after completing its waiters, so the count
  // may trail the answer by a moment.
  const std::string cycles = "\nstrata_flush_cycle_seconds_count ";
  std::string last_count;
  const bool counted = wait_until([&] {
    auto now = http.Get("/metrics");
    if (!now) return false;
    const std::size_t at = now->body.find(cycles);
    if (at == std::string::npos) return false;
    last_count = now->body.substr(at + cycles.size(), now->body.find('\n', at + 1) - at - cycles.size());
    return std::strtoll(last_count.c_str(), nullptr, 10) >= 1;
  });
  INFO("last strata_flush_cycle_seconds_count: " << last_count);
  CHECK(counted);
  CHECK(broker.stop() == 0);
}

TEST_CASE("pipelined requests of one Produce stream append in the order they were sent (#13)",
          "[integration][produce][ordering]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 1).error().code() == v1::NONE);
  // Far more requests than the broker has threads, written without waiting.
  constexpr int kRequests = 200;
  std::vector<v1::ProduceRequest> requests;
  std::string expected;
  for (int i = 0; i < kRequests; ++i) {
    const Buffer batch = make_batch("r" + std::to_string(i), 2);
    requests.push_back(produce_request(static_cast<std::uint64_t>(i), "t", 0, batch));
    expected += stored(batch, std::int64_t{i} * 2);
  }
  auto answers = produce(*channel, requests);
  REQUIRE(answers.size() == kRequests);
  std::map<std::uint64_t, std::int64_t> offset_of;
  for (const auto& a : answers) {
    CHECK(a.header().error().code() == v1::NONE);
    offset_of[a.correlation_id()] = a.base_offset();
  }
  REQUIRE(offset_of.size() == kRequests);
  int misplaced = 0;
  for (int i = 0; i < kRequests; ++i) {
    misplaced += offset_of[static_cast<std::uint64_t>(i)] == std::int64_t{i} * 2 ? 0 : 1;
  }
  CHECK(misplaced == 0);
  CHECK(fetch_bytes(*channel, "t", 0, 0, expected.size()) == expected);
  CHECK(broker.stop() == 0);
}

}  // namespace strata::testing
