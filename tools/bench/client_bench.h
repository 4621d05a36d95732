#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <strata/options.h>

#include "common/result.h"
#include "tools/bench/latency_recorder.h"

namespace strata::bench {

// Settings shared by `strata-bench produce|consume|e2e` (libstrata against a
// running broker).
struct ClientBenchOptions {
  std::string broker = "127.0.0.1:7070";
  std::string topic;              // empty: strata-bench-<pid> (created)
  std::int32_t partitions = 1;    // when the topic is created
  std::size_t message_bytes = 1024;
  std::int64_t count = 1000000;   // produce/consume: records in total
  int producers = 1;              // produce: threads, each with its own Producer
  std::string acks = "all";
  std::string compression = "none";
  std::int32_t linger_ms = 5;
  std::size_t batch_bytes = 64 * 1024;
  std::int32_t max_in_flight = client::ProducerOptions{}.max_in_flight_per_partition;  // per partition
  double rate = 10000;            // e2e: records per second, fixed schedule
  double duration_s = 10;         // e2e: measured seconds
  double warmup_s = 1;            // e2e: unmeasured seconds first
};

// What a run measured. MB = 1e6 bytes of record values.
struct ClientBenchResult {
  std::string mode;  // "produce", "consume", "e2e"
  ClientBenchOptions options;
  std::uint64_t records = 0;
  std::uint64_t errors = 0;
  double elapsed_s = 0;
  LatencySummary latency;  // produce: send() to ack; e2e: intended send time to poll()
  // e2e: intended send time to the producer's acknowledgement, the produce
  // side's share of `latency` (a stall in both is the producer's or broker's).
  LatencySummary ack_latency;

  double records_per_s() const { return elapsed_s > 0 ? records / elapsed_s : 0; }
  double mb_per_s() const {
    return elapsed_s > 0 ? records * static_cast<double>(options.message_bytes) / 1e6 / elapsed_s
                         : 0;
  }
};

// Creates the topic when missing (an existing one is used as it is).
Status ensure_topic(const ClientBenchOptions& options);
// Sends `count` records from `producers` threads as fast as the producer's
// buffer allows; latency from send() to the delivery callback.
Result<ClientBenchResult> run_produce_bench(const ClientBenchOptions& options);
// Reads `count` records of every partition from the log start.
Result<ClientBenchResult> run_consume_bench(const ClientBenchOptions& options);
// Sends at `rate` for warmup + duration seconds while a consumer reads them
// back; latency from each record's intended send time (coordinated omission
// avoided) to its arrival in poll().
Result<ClientBenchResult> run_e2e_bench(const ClientBenchOptions& options);

std::string format_client_result_line(const ClientBenchResult& result);
std::string format_client_result_table(const ClientBenchResult& result);

}  // namespace strata::bench
