// libstrata's idempotent producer against the real broker: with many batches
// of one partition in flight, a resend after a timeout neither reorders nor
// duplicates records (issue #13).

#include <signal.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/client_helpers.h"

namespace strata::testing {
namespace {

using namespace std::chrono_literals;

// Freezes the broker (SIGSTOP) for `pause`, then lets it go on (SIGCONT).
// Every request on the wire meanwhile times out at the producer, which
// cancels its stream and sends the batches again on a new one; the broker,
// woken, may still append some of the first copies before it sees the
// cancellation.
// Runs on a thread of its own (no Catch2 assertions there): false when a
// signal could not be sent.
bool freeze(const BrokerProcess& broker, std::chrono::milliseconds pause) {
  if (::kill(broker.pid(), SIGSTOP) != 0) return false;
  std::this_thread::sleep_for(pause);
  return ::kill(broker.pid(), SIGCONT) == 0;
}

// Reads partition 0 of `topic` from offset 0 until `count` records came.
std::vector<std::string> read_values(const BrokerProcess& broker, const std::string& topic,
                                     std::size_t count) {
  client::ConsumerOptions options;
  options.auto_offset_reset = client::OffsetReset::earliest;
  options.enable_auto_commit = false;
  auto consumer = make_consumer(broker, options);
  REQUIRE(consumer->assign({TopicPartition{topic, PartitionId(0)}}).ok());
  // One more than expected may come (a duplicate): poll a little past `count`.
  std::vector<std::string> values;
  std::int64_t next_offset = 0;
  for (const auto& record : consume(*consumer, count + 1, 20s)) {
    CHECK(record.offset.value() == next_offset);
    next_offset = record.offset.value() + 1;
    values.emplace_back(record.value.value_or("(null)"));
  }
  return values;
}

TEST_CASE("32 batches in flight, resent after timeouts, land once each and in send order (#13)",
          "[integration][client][idempotence]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  REQUIRE(make_admin(broker)->create_topic("ordered", 1).ok());
  constexpr int kRecords = 20'000;

  client::ProducerOptions options;  // enable_idempotence and 32 in flight: the defaults
  options.batch_size = 2048;        // ~60 records a batch: many batches on the wire
  options.linger_ms = 0;
  options.retry_backoff_ms = 20;
  // A short request timeout: a frozen broker makes every batch on the wire time out.
  options.connection = connection_to(broker);
  options.connection.request_timeout_ms = static_cast<std::int32_t>(scaled(800ms).count());
  auto created = client::Producer::create(options);
  REQUIRE(created.ok());
  auto producer = std::move(created).value();

  std::atomic<int> failures{0};
  std::atomic<std::int64_t> last_offset{-1};
  std::atomic<int> out_of_order_acks{0};
  std::atomic<bool> stop_freezing{false};
  std::atomic<int> freezes{0};
  std::atomic<bool> signal_failed{false};
  std::thread freezer([&] {
    // Three freezes while records flow; bounded by the count.
    for (int round = 0; round < 3 && !stop_freezing.load(); ++round) {
      std::this_thread::sleep_for(300ms);
      if (!freeze(broker, scaled(1200ms))) signal_failed = true;
      ++freezes;
    }
  });
  for (int i = 0; i < kRecords; ++i) {
    producer->send("ordered", std::nullopt, std::to_string(i), {},
                   [&](Result<client::RecordMetadata> r) {
                     if (!r.ok()) {
                       ++failures;
                       return;
                     }
                     // Callbacks of one partition run in offset order.
                     const std::int64_t offset = r->offset.value();
                     if (offset <= last_offset.exchange(offset)) ++out_of_order_acks;
                   });
    // Spread the sends over the freezes: about 4 s of sending.
    if (i % 100 == 0) std::this_thread::sleep_for(20ms);
  }
  producer->flush();
  stop_freezing = true;
  freezer.join();
  REQUIRE_FALSE(signal_failed.load());
  CHECK(freezes.load() >= 1);
  REQUIRE(failures.load() == 0);
  CHECK(out_of_order_acks.load() == 0);
  CHECK(last_offset.load() == kRecords - 1);

  const auto values = read_values(broker, "ordered", kRecords);
  REQUIRE(values.size() == kRecords);
  int misplaced = 0;
  for (int i = 0; i < kRecords; ++i) misplaced += values[i] == std::to_string(i) ? 0 : 1;
  CHECK(misplaced == 0);
}

TEST_CASE("an idempotent producer refuses more in flight than the broker remembers",
          "[integration][client][idempotence]") {
  client::ProducerOptions options;
  options.connection.bootstrap = "127.0.0.1:1";
  options.max_in_flight_per_partition = client::kMaxInFlightIdempotent + 1;
  auto refused = client::Producer::create(options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == ErrorCode::invalid_argument);
  options.enable_idempotence = false;
  CHECK(client::Producer::create(options).ok());
}

}  // namespace
}  // namespace strata::testing
