// strata-bench e2e: a producer on a fixed schedule, a consumer reading the
// same topic, latency from each record's intended send time to its arrival.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <string_view>
#include <thread>

#include "tools/bench/client_bench.h"
#include "tools/bench/client_bench_common.h"

namespace strata::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kMinSleep = std::chrono::microseconds(200);

// The value carries its intended send time (steady clock, ns) in its first
// 8 bytes; producer and consumer share this process, hence this clock.
std::int64_t stamp_of(std::string_view value) {
  std::int64_t ns = 0;
  if (value.size() >= sizeof(ns)) std::memcpy(&ns, value.data(), sizeof(ns));
  return ns;
}

}  // namespace

Result<ClientBenchResult> run_e2e_bench(const ClientBenchOptions& o) {
  if (o.rate <= 0) return invalid_argument_error("--rate must be positive");
  STRATA_TRY(ensure_topic(o));
  STRATA_TRY_ASSIGN(std::vector<TopicPartition> partitions, topic_partitions(o));
  STRATA_TRY_ASSIGN(auto consumer, client::Consumer::create(consumer_options(o)));
  STRATA_TRY(consumer->assign(partitions));
  STRATA_TRY(consumer->seek_to_end());
  for (const TopicPartition& tp : partitions) STRATA_TRY(consumer->position(tp).status());
  STRATA_TRY_ASSIGN(auto producer, client::Producer::create(producer_options(o)));

  const auto interval = std::chrono::duration<double>(1.0 / o.rate);
  const std::int64_t total = static_cast<std::int64_t>((o.warmup_s + o.duration_s) * o.rate);
  const Clock::time_point start = Clock::now() + std::chrono::milliseconds(100);
  const Clock::time_point measure_from =
      start +
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup_s));
  std::atomic<std::uint64_t> send_errors{0};
  std::mutex acks_mu;
  LatencyRecorder acks;  // guarded by acks_mu
  std::thread sender([&] {
    std::string value(std::max<std::size_t>(o.message_bytes, 8), 'x');
    for (std::int64_t i = 0; i < total; ++i) {
      const Clock::time_point intended =
          start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(i));
      // Sleep at least kMinSleep: at 200,000 records/s a sleep per record
      // (5 us apart) cost the generator a context switch each, CPU taken
      // from the broker it measures. The records due meanwhile go out
      // together; each keeps its own intended time, so the wait counts in
      // its latency.
      if (const Clock::time_point now = Clock::now(); intended > now) {
        std::this_thread::sleep_until(std::max(intended, now + kMinSleep));
      }
      const std::int64_t ns = intended.time_since_epoch().count();
      std::memcpy(value.data(), &ns, sizeof(ns));
      producer->send(o.topic, std::nullopt, value, {},
                     [&, intended](Result<client::RecordMetadata> r) {
                       if (!r.ok()) send_errors.fetch_add(1);
                       if (!r.ok() || intended < measure_from) return;
                       const auto took = Clock::now() - intended;
                       std::lock_guard lock(acks_mu);
                       acks.record(took);
                     });
    }
    producer->flush();
  });

  ClientBenchResult result;
  result.mode = "e2e";
  result.options = o;
  LatencyRecorder latencies;
  std::int64_t received = 0;
  Clock::time_point last_progress = Clock::now();
  Status poll_error;
  while (received < total) {
    auto records = consumer->poll(std::chrono::milliseconds(100));
    const Clock::time_point now = Clock::now();
    if (!records.ok()) {
      poll_error = records.status();
      break;
    }
    for (const client::ConsumerRecord& r : *records) {
      ++received;
      if (!r.value) continue;
      const Clock::time_point intended{Clock::duration(stamp_of(*r.value))};
      if (intended < measure_from) continue;
      latencies.record(now - intended);
      ++result.records;
    }
    if (!records->empty()) last_progress = now;
    if (now - last_progress > std::chrono::seconds(5) && now > start) break;
  }
  sender.join();
  producer->close();
  consumer->close();
  STRATA_TRY(poll_error);
  result.errors = send_errors.load() + static_cast<std::uint64_t>(total - received);
  result.elapsed_s = o.duration_s;
  result.latency = latencies.summarize();
  result.ack_latency = acks.summarize();
  return result;
}

}  // namespace strata::bench
