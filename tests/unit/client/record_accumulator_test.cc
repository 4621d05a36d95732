#include "client/src/record_accumulator.h"

#include <chrono>
#include <future>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/record_batch_reader.h"

namespace strata::client {
namespace {

using namespace std::chrono_literals;

AccumulatorOptions small_options() {
  AccumulatorOptions options;
  options.batch_size = 1024;
  options.buffer_memory = 64 * 1024;
  options.linger = 50ms;
  return options;
}

// Appends a record of `value_bytes` to `topic`; partition nullopt = null key.
Result<std::int32_t> append(RecordAccumulator& acc, std::optional<std::int32_t> partition,
                            std::size_t value_bytes, DeliveryCallback callback = {},
                            std::chrono::milliseconds max_block = 0ms,
                            const std::string& topic = "orders") {
  static const std::string kValues(1 << 20, 'v');
  AppendRequest request;
  request.topic = topic;
  request.partition = partition;
  request.partition_count = 8;
  request.timestamp_ms = 1000;
  request.value = as_bytes(std::string_view(kValues).substr(0, value_bytes));
  request.delivery_deadline = SteadyClock::now() + 60s;
  return acc.append(request, std::move(callback), SteadyClock::now() + max_block);
}

TEST_CASE("records of one partition share a batch until batch_size is reached",
          "[client][accumulator]") {
  RecordAccumulator acc(small_options());
  for (int i = 0; i < 20; ++i) REQUIRE(append(acc, 3, 100).ok());
  // 20 records of ~110 bytes in 1 KiB batches: the first batches are full
  // and ready at once; the last one waits for linger.
  auto ready = acc.drain(SteadyClock::now());
  REQUIRE(ready.size() >= 2);
  std::int32_t drained_records = 0;
  for (const auto& batch : ready) {
    CHECK(batch->partition == 3);
    CHECK(batch->builder.estimated_size_bytes() <= 1024 + 200);
    drained_records += batch->builder.record_count();
  }
  auto rest = acc.drain(SteadyClock::now() + 60ms);
  REQUIRE(rest.size() == 1);
  CHECK(drained_records + rest[0]->builder.record_count() == 20);
}

TEST_CASE("a batch is not ready before linger passes, and is after", "[client][accumulator]") {
  RecordAccumulator acc(small_options());
  REQUIRE(append(acc, 0, 10).ok());
  const auto now = SteadyClock::now();
  CHECK(acc.drain(now).empty());
  auto next = acc.next_ready_time(now);
  REQUIRE(next.has_value());
  CHECK(*next > now);
  CHECK(acc.drain(*next + 1ms).size() == 1);
}

TEST_CASE("a sender waiting with nothing queued is woken by a new batch to plan for its linger",
          "[client][accumulator]") {
  // The sender waits up to a long tick when nothing is queued; a new batch
  // must end that wait so the sender can wake again at its linger deadline.
  RecordAccumulator acc(small_options());
  const auto far = SteadyClock::now() + 60s;
  auto waited = std::async(std::launch::async, [&] { acc.wait_for_work(far); });
  REQUIRE(append(acc, 0, 10).ok());
  REQUIRE(waited.wait_for(30s) == std::future_status::ready);  // well before `far`
  CHECK(acc.next_ready_time(SteadyClock::now()).has_value());
}

TEST_CASE("a sender waiting behind the in-flight limit is woken when a batch completes",
          "[client][accumulator]") {
  AccumulatorOptions options = small_options();
  options.max_in_flight_per_partition = 1;
  RecordAccumulator acc(options);
  REQUIRE(append(acc, 0, 10).ok());
  acc.begin_flush();
  auto sent = acc.drain(SteadyClock::now());
  acc.end_flush();
  REQUIRE(sent.size() == 1);
  REQUIRE(append(acc, 0, 10).ok());
  (void)acc.drain(SteadyClock::now());  // nothing ready: the partition is at its limit
  CHECK_FALSE(acc.next_ready_time(SteadyClock::now()).has_value());
  const auto far = SteadyClock::now() + 60s;
  auto waited = std::async(std::launch::async, [&] { acc.wait_for_work(far); });
  acc.complete(*sent.front());
  REQUIRE(waited.wait_for(30s) == std::future_status::ready);  // well before `far`
  CHECK(acc.next_ready_time(SteadyClock::now()).has_value());
}

TEST_CASE("flush makes every batch ready regardless of linger", "[client][accumulator]") {
  RecordAccumulator acc(small_options());
  REQUIRE(append(acc, 0, 10).ok());
  REQUIRE(append(acc, 1, 10).ok());
  acc.begin_flush();
  CHECK(acc.drain(SteadyClock::now()).size() == 2);
  acc.end_flush();
}

TEST_CASE("the buffer is bounded: append blocks, then fails with timed_out, until memory is freed",
          "[client][accumulator]") {
  auto options = small_options();
  options.buffer_memory = 4096;
  RecordAccumulator acc(options);
  int appended = 0;
  Status last;
  for (int i = 0; i < 100; ++i) {
    auto r = append(acc, i % 8, 500, {}, 20ms);
    if (!r.ok()) {
      last = r.status();
      break;
    }
    ++appended;
  }
  CHECK(last.code() == ErrorCode::timed_out);
  CHECK(appended > 0);
  CHECK(acc.buffered_bytes() <= 4096);
  // Completing the drained batches gives their memory back.
  acc.begin_flush();
  for (auto& batch : acc.drain(SteadyClock::now())) acc.complete(*batch);
  acc.end_flush();
  CHECK(acc.buffered_bytes() == 0);
  CHECK(append(acc, 0, 500).ok());
}

TEST_CASE("a record larger than max_request_size fails with too_large", "[client][accumulator]") {
  auto options = small_options();
  options.max_request_size = 2000;
  RecordAccumulator acc(options);
  auto r = append(acc, 0, 5000);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == ErrorCode::too_large);
}

TEST_CASE("a record larger than batch_size travels alone in its own batch",
          "[client][accumulator]") {
  RecordAccumulator acc(small_options());
  REQUIRE(append(acc, 0, 10).ok());
  REQUIRE(append(acc, 0, 4000).ok());
  auto ready = acc.drain(SteadyClock::now());
  REQUIRE(ready.size() == 2);
  CHECK(ready[0]->builder.record_count() == 1);
  CHECK(ready[1]->builder.record_count() == 1);
}

TEST_CASE("null-key records stick to one partition until its batch is sent",
          "[client][accumulator][sticky]") {
  RecordAccumulator acc(small_options());
  std::set<std::int32_t> first;
  for (int i = 0; i < 5; ++i) first.insert(append(acc, std::nullopt, 10).value());
  REQUIRE(first.size() == 1);
  const std::int32_t sticky = *first.begin();

  auto sent = acc.drain(SteadyClock::now() + 60ms);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]->partition == sticky);

  std::set<std::int32_t> second;
  for (int i = 0; i < 5; ++i) second.insert(append(acc, std::nullopt, 10).value());
  REQUIRE(second.size() == 1);
  CHECK(*second.begin() != sticky);
}

TEST_CASE("null-key records move on when the sticky partition's batch fills",
          "[client][accumulator][sticky]") {
  RecordAccumulator acc(small_options());
  std::set<std::int32_t> used;
  for (int i = 0; i < 40; ++i) used.insert(append(acc, std::nullopt, 100).value());
  CHECK(used.size() > 1);
}

TEST_CASE("at most max_in_flight_per_partition batches of a partition are drained",
          "[client][accumulator]") {
  auto options = small_options();
  options.max_in_flight_per_partition = 1;
  RecordAccumulator acc(options);
  for (int i = 0; i < 30; ++i) REQUIRE(append(acc, 2, 100).ok());
  auto first = acc.drain(SteadyClock::now() + 60ms);
  REQUIRE(first.size() == 1);
  CHECK(acc.drain(SteadyClock::now() + 60ms).empty());
  acc.complete(*first[0]);
  CHECK(acc.drain(SteadyClock::now() + 60ms).size() == 1);
}

TEST_CASE("a re-enqueued batch is drained again first, after its retry time",
          "[client][accumulator]") {
  RecordAccumulator acc(small_options());
  REQUIRE(append(acc, 0, 10).ok());
  auto batches = acc.drain(SteadyClock::now() + 60ms);
  REQUIRE(batches.size() == 1);
  ProducerBatch* original = batches[0].get();
  REQUIRE(append(acc, 0, 10).ok());
  batches[0]->attempts = 1;
  batches[0]->retry_at = SteadyClock::now() + 1h;
  acc.reenqueue(std::move(batches[0]));
  CHECK(acc.drain(SteadyClock::now() + 60ms).empty());
  auto retried = acc.drain(SteadyClock::now() + 2h);
  REQUIRE(!retried.empty());
  CHECK(retried[0].get() == original);
}

TEST_CASE("batches that come back in any order are resent in the order first sent (#13)",
          "[client][accumulator]") {
  RecordAccumulator acc(small_options());
  // Several batches of partition 0 (full ones and a lingered one), drained
  // (sent) together.
  for (int i = 0; i < 27; ++i) REQUIRE(append(acc, 0, 100).ok());
  auto sent = acc.drain(SteadyClock::now() + 60ms);
  const std::size_t count = sent.size();
  REQUIRE(count >= 3);
  std::vector<ProducerBatch*> first_order;
  for (const auto& batch : sent) first_order.push_back(batch.get());
  REQUIRE(append(acc, 0, 10).ok());  // a newer batch, not sent yet
  // They fail in reverse (a broken stream hands them back in any order).
  for (std::size_t i = count; i-- > 0;) {
    sent[i]->attempts = 1;
    sent[i]->retry_at = SteadyClock::now();
    acc.reenqueue(std::move(sent[i]));
  }
  auto resent = acc.drain(SteadyClock::now() + 60ms);
  REQUIRE(resent.size() == count + 1);
  for (std::size_t i = 0; i < count; ++i) CHECK(resent[i].get() == first_order[i]);
  CHECK(resent[count]->send_order > first_order[count - 1]->send_order);
}

TEST_CASE("close_and_take_all returns queued batches and refuses new records",
          "[client][accumulator]") {
  RecordAccumulator acc(small_options());
  REQUIRE(append(acc, 0, 10).ok());
  REQUIRE(append(acc, 1, 10).ok());
  auto taken = acc.close_and_take_all();
  CHECK(taken.size() == 2);
  auto r = append(acc, 0, 10);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == ErrorCode::shutting_down);
  for (auto& batch : taken) acc.complete(*batch);
  CHECK(acc.incomplete_batches() == 0);
}

TEST_CASE("records survive the producer's batch path: build, compress, validate, decode",
          "[client][accumulator][codec]") {
  const auto codec = GENERATE(Compression::none, Compression::gzip, Compression::snappy,
                              Compression::lz4, Compression::zstd);
  auto options = small_options();
  options.compression = codec;
  options.batch_size = 64 * 1024;
  RecordAccumulator acc(options);
  const std::vector<RecordHeader> headers{{"h1", to_buffer("x")}, {"h2", std::nullopt}};
  for (int i = 0; i < 50; ++i) {
    const std::string key = "key-" + std::to_string(i);
    const std::string value = "value-" + std::to_string(i) + std::string(100, 'z');
    AppendRequest request;
    request.topic = "t";
    request.partition = 0;
    request.timestamp_ms = 1000 + i;
    request.key = as_bytes(key);
    request.value = i == 7 ? std::nullopt : std::optional<ByteSpan>(as_bytes(value));
    request.headers = headers;
    request.delivery_deadline = SteadyClock::now() + 60s;
    REQUIRE(acc.append(request, {}, SteadyClock::now()).ok());
  }
  auto batches = acc.drain(SteadyClock::now() + 60ms);
  REQUIRE(batches.size() == 1);
  auto bytes = batches[0]->builder.build();
  REQUIRE(bytes.ok());
  auto view = RecordBatchView::validate(*bytes);
  REQUIRE(view.ok());
  CHECK(view->header().compression() == codec);
  auto records = read_records(*view);
  REQUIRE(records.ok());
  REQUIRE(records->size() == 50);
  for (int i = 0; i < 50; ++i) {
    const Record& record = (*records)[static_cast<std::size_t>(i)];
    CHECK(record.offset == Offset(i));
    CHECK(record.timestamp == 1000 + i);
    CHECK(as_string_view(*record.key) == "key-" + std::to_string(i));
    if (i == 7) {
      CHECK_FALSE(record.value.has_value());
    } else {
      CHECK(as_string_view(*record.value) == "value-" + std::to_string(i) + std::string(100, 'z'));
    }
    CHECK(record.headers == headers);
  }
}

}  // namespace
}  // namespace strata::client
