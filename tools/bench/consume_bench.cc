// strata-bench consume: libstrata Consumer throughput from the log start.

#include <chrono>

#include "tools/bench/client_bench.h"
#include "tools/bench/client_bench_common.h"

namespace strata::bench {

Result<ClientBenchResult> run_consume_bench(const ClientBenchOptions& o) {
  using Clock = std::chrono::steady_clock;
  STRATA_TRY_ASSIGN(std::vector<TopicPartition> partitions, topic_partitions(o));
  STRATA_TRY_ASSIGN(auto consumer, client::Consumer::create(consumer_options(o)));
  STRATA_TRY(consumer->assign(partitions));
  STRATA_TRY(consumer->seek_to_beginning());
  ClientBenchResult result;
  result.mode = "consume";
  result.options = o;
  const Clock::time_point start = Clock::now();
  // Bounded: stop when the topic stays empty for 5 s.
  Clock::time_point last_progress = start;
  while (static_cast<std::int64_t>(result.records) < o.count) {
    STRATA_TRY_ASSIGN(auto records, consumer->poll(std::chrono::milliseconds(500)));
    const Clock::time_point now = Clock::now();
    if (!records.empty()) last_progress = now;
    result.records += records.size();
    if (now - last_progress > std::chrono::seconds(5)) break;
  }
  result.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  consumer->close();
  if (static_cast<std::int64_t>(result.records) < o.count) {
    return Status(ErrorCode::timed_out, o.topic + ": only " + std::to_string(result.records) +
                                            " of " + std::to_string(o.count) +
                                            " records arrived (none for 5 s)");
  }
  return result;
}

}  // namespace strata::bench
