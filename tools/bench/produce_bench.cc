// strata-bench produce: libstrata Producer throughput and send-to-ack latency.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "tools/bench/client_bench.h"
#include "tools/bench/client_bench_common.h"

namespace strata::bench {
namespace {

using Clock = std::chrono::steady_clock;

// One producer thread's outcome, written by the producer's I/O thread.
struct ProducerTally {
  std::mutex mu;
  LatencyRecorder latencies;  // guarded by mu
  std::uint64_t acked = 0;    // guarded by mu
  std::uint64_t errors = 0;   // guarded by mu
  Status first_error;         // guarded by mu
};

std::string random_value(std::size_t bytes, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string v(bytes, '\0');
  for (char& c : v) c = static_cast<char>('a' + rng() % 26);
  return v;
}

Status produce_share(const ClientBenchOptions& o, std::int64_t count, std::uint32_t seed,
                     ProducerTally& tally) {
  STRATA_TRY_ASSIGN(auto producer, client::Producer::create(producer_options(o)));
  const std::string value = random_value(o.message_bytes, seed);
  for (std::int64_t i = 0; i < count; ++i) {
    const Clock::time_point t0 = Clock::now();
    producer->send(o.topic, std::nullopt, value, {},
                   [&tally, t0](Result<client::RecordMetadata> r) {
                     const auto t1 = Clock::now();
                     std::lock_guard lock(tally.mu);
                     if (r.ok()) {
                       ++tally.acked;
                       tally.latencies.record(t1 - t0);
                     } else if (tally.errors++ == 0) {
                       tally.first_error = r.status();
                     }
                   });
  }
  producer->flush();
  producer->close();
  return Status::ok_status();
}

}  // namespace

Result<ClientBenchResult> run_produce_bench(const ClientBenchOptions& o) {
  STRATA_TRY(ensure_topic(o));
  std::vector<std::unique_ptr<ProducerTally>> tallies;
  std::vector<Status> statuses(static_cast<std::size_t>(o.producers));
  std::vector<std::thread> threads;
  const Clock::time_point start = Clock::now();
  for (int p = 0; p < o.producers; ++p) {
    tallies.push_back(std::make_unique<ProducerTally>());
    const std::int64_t share = o.count / o.producers + (p < o.count % o.producers ? 1 : 0);
    ProducerTally* tally = tallies.back().get();
    Status* status = &statuses[static_cast<std::size_t>(p)];
    threads.emplace_back([&o, p, share, tally, status] {
      *status = produce_share(o, share, static_cast<std::uint32_t>(p + 1), *tally);
    });
  }
  for (std::thread& t : threads) t.join();
  const Clock::time_point end = Clock::now();
  ClientBenchResult result;
  result.mode = "produce";
  result.options = o;
  result.elapsed_s = std::chrono::duration<double>(end - start).count();
  LatencyRecorder all;
  Status first;
  for (std::size_t p = 0; p < tallies.size(); ++p) {
    if (!statuses[p].ok() && first.ok()) first = statuses[p];
    std::lock_guard lock(tallies[p]->mu);
    all.merge(tallies[p]->latencies);
    result.records += tallies[p]->acked;
    result.errors += tallies[p]->errors;
    if (!tallies[p]->first_error.ok() && first.ok()) first = tallies[p]->first_error;
  }
  STRATA_TRY(first);
  result.latency = all.summarize();
  return result;
}

}  // namespace strata::bench
