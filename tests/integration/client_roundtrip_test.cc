// libstrata against the real broker: what a producer sends, a consumer gets
// back, in order per partition, with keys on Kafka's partitions.

#include <map>
#include <set>
#include <string>
#include <thread>

#include "client/src/partitioner.h"
#include "tests/integration/client_helpers.h"

namespace strata::testing {
namespace {

using namespace std::chrono_literals;
using client::ConsumerRecord;
using client::Header;

TEST_CASE("records come back exactly as sent: keys, values, nulls, headers, timestamps",
          "[integration][client]") {
  const auto codec = GENERATE(client::CompressionType::none, client::CompressionType::gzip,
                              client::CompressionType::snappy, client::CompressionType::lz4,
                              client::CompressionType::zstd);
  BrokerProcess broker;
  REQUIRE(broker.start());
  REQUIRE(make_admin(broker)->create_topic("roundtrip", 1).ok());

  client::ProducerOptions producer_options;
  producer_options.compression = codec;
  auto producer = make_producer(broker, producer_options);
  std::vector<client::ProducerRecord> sent;
  for (int i = 0; i < 20; ++i) {
    client::ProducerRecord record;
    record.topic = "roundtrip";
    if (i % 5 != 0) record.key = "k" + std::to_string(i);
    if (i % 7 != 0) record.value = std::string(static_cast<std::size_t>(i * 10), 'a' + i % 26);
    record.headers = {Header{"h", "v" + std::to_string(i)}, Header{"null", std::nullopt}};
    record.timestamp_ms = 1'700'000'000'000 + i;
    sent.push_back(record);
  }
  std::vector<std::future<Result<client::RecordMetadata>>> futures;
  for (const auto& record : sent) futures.push_back(producer->send(record));
  producer->flush();
  for (std::size_t i = 0; i < futures.size(); ++i) {
    auto metadata = futures[i].get();
    REQUIRE(metadata.ok());
    CHECK(metadata->offset == Offset(static_cast<std::int64_t>(i)));
    CHECK(metadata->partition == PartitionId(0));
  }

  client::ConsumerOptions consumer_options;
  consumer_options.auto_offset_reset = client::OffsetReset::earliest;
  auto consumer = make_consumer(broker, consumer_options);
  REQUIRE(consumer->assign({TopicPartition{"roundtrip", PartitionId(0)}}).ok());
  auto received = consume(*consumer, sent.size());
  // Keys and values are views into the fetched (for a codec, decompressed)
  // data, which the records keep alive: they outlive their consumer (ASan
  // would report a read of freed memory below otherwise).
  consumer.reset();
  REQUIRE(received.size() == sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    CHECK(received[i].offset == Offset(static_cast<std::int64_t>(i)));
    CHECK(received[i].key == sent[i].key);
    CHECK(received[i].value == sent[i].value);
    CHECK(received[i].headers == sent[i].headers);
    CHECK(received[i].timestamp_ms == *sent[i].timestamp_ms);
  }
}

TEST_CASE("100,000 keyed records over 8 partitions arrive complete, in order, key on one partition",
          "[integration][client][slow]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  REQUIRE(make_admin(broker)->create_topic("keyed", 8).ok());
  constexpr int kRecords = 100'000;
  constexpr int kKeys = 1'000;

  client::ProducerOptions producer_options;
  producer_options.linger_ms = 10;
  producer_options.batch_size = 64 * 1024;
  auto producer = make_producer(broker, producer_options);
  std::atomic<int> failures{0};
  for (int i = 0; i < kRecords; ++i) {
    producer->send("keyed", "key-" + std::to_string(i % kKeys), std::to_string(i), {},
                   [&failures](Result<client::RecordMetadata> r) {
                     if (!r.ok()) ++failures;
                   });
  }
  producer->flush();
  REQUIRE(failures.load() == 0);

  client::ConsumerOptions consumer_options;
  consumer_options.auto_offset_reset = client::OffsetReset::earliest;
  consumer_options.max_poll_records = 5000;
  auto consumer = make_consumer(broker, consumer_options);
  REQUIRE(consumer->subscribe("keyed", "keyed-readers").ok());
  // subscribe() joins the group from poll(), so the assignment is known only
  // once records flow: the lone member then owns all 8 partitions.
  auto received = consume(*consumer, kRecords, 120s);
  REQUIRE(received.size() == kRecords);
  REQUIRE(consumer->assignment().size() == 8);

  std::map<std::string, std::int32_t> partition_of_key;
  std::map<std::int32_t, std::int64_t> next_offset;
  std::map<std::string, int> last_value_of_key;
  std::set<int> values;
  for (const auto& record : received) {
    const std::int32_t p = record.partition.value();
    // Offsets within a partition are dense and increasing.
    CHECK(record.offset.value() == next_offset[p]);
    next_offset[p] = record.offset.value() + 1;
    // Same key, same partition: Kafka's murmur2 choice.
    const std::string key(*record.key);
    auto [it, inserted] = partition_of_key.emplace(key, p);
    CHECK(it->second == p);
    if (inserted) CHECK(client::partition_for_key(as_bytes(key), 8) == p);
    // Per key, values (send order) only grow.
    const int value = std::stoi(std::string(*record.value));
    auto last = last_value_of_key.find(key);
    if (last != last_value_of_key.end()) CHECK(value > last->second);
    last_value_of_key[key] = value;
    values.insert(value);
  }
  CHECK(values.size() == kRecords);
  CHECK(next_offset.size() == 8);
}

TEST_CASE("null-key records spread over partitions in sticky batches", "[integration][client]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  REQUIRE(make_admin(broker)->create_topic("sticky", 4).ok());
  client::ProducerOptions options;
  options.batch_size = 1024;
  auto producer = make_producer(broker, options);
  std::vector<std::future<Result<client::RecordMetadata>>> futures;
  for (int i = 0; i < 400; ++i) futures.push_back(producer->send("sticky", std::nullopt, std::string(100, 'x')));
  producer->flush();
  std::set<std::int32_t> partitions;
  for (auto& f : futures) {
    auto r = f.get();
    REQUIRE(r.ok());
    partitions.insert(r->partition.value());
  }
  CHECK(partitions.size() > 1);
}

TEST_CASE("sending to an unknown topic fails with not_found", "[integration][client]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto producer = make_producer(broker);
  auto result = producer->send("no-such-topic", "k", "v").get();
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == ErrorCode::not_found);
}

TEST_CASE("acks 0, 1 and all all deliver", "[integration][client]") {
  const auto acks = GENERATE(client::Acks::none, client::Acks::leader, client::Acks::all);
  BrokerProcess broker;
  REQUIRE(broker.start());
  REQUIRE(make_admin(broker)->create_topic("acks", 1).ok());
  client::ProducerOptions options;
  options.acks = acks;
  auto producer = make_producer(broker, options);
  produce_numbered(*producer, "acks", 100);
  client::ConsumerOptions consumer_options;
  consumer_options.auto_offset_reset = client::OffsetReset::earliest;
  auto consumer = make_consumer(broker, consumer_options);
  REQUIRE(consumer->assign({TopicPartition{"acks", PartitionId(0)}}).ok());
  CHECK(consume(*consumer, 100).size() == 100);
}

TEST_CASE("a consumer slower than the fetch liveness between polls is not told the broker is silent",
          "[integration][client]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  REQUIRE(make_admin(broker)->create_topic("slow-app", 1).ok());
  auto producer = make_producer(broker);
  produce_numbered(*producer, "slow-app", 1);

  client::ConsumerOptions options;
  options.connection = connection_to(broker);
  // A short liveness keeps the test short.
  options.connection.request_timeout_ms = static_cast<std::int32_t>(scaled(2s).count());
  options.auto_offset_reset = client::OffsetReset::earliest;
  options.fetch_max_wait_ms = 50;
  auto created = client::Consumer::create(options);
  REQUIRE(created.ok());
  auto consumer = std::move(created).value();
  REQUIRE(consumer->assign({TopicPartition{"slow-app", PartitionId(0)}}).ok());
  REQUIRE(consume(*consumer, 1).size() == 1);

  // The application's own work between two polls, longer than the stream's
  // liveness (fetch_max_wait_ms + request_timeout_ms). The broker answers
  // every 50 ms meanwhile, so the stream's reader soon waits for room in
  // the consumer's inbox; that wait is the application's, not the broker's
  // silence. (Sleeping is the behaviour under test here.)
  const auto liveness = std::chrono::milliseconds(options.fetch_max_wait_ms +
                                                  options.connection.request_timeout_ms);
  std::this_thread::sleep_for(liveness + 1s);

  produce_numbered(*producer, "slow-app", 1);
  const auto more = consume(*consumer, 1);
  REQUIRE(more.size() == 1);
  CHECK(more[0].offset == Offset(1));
}

}  // namespace
}  // namespace strata::testing
