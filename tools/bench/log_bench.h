#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/result.h"
#include "tools/bench/latency_recorder.h"

namespace strata::bench {

// How the appenders reach the disk.
enum class LogLayout {
  // Every appender appends to ONE PartitionLog (one writer at a time, so a
  // mutex serializes append(); the Flusher's group commit covers them all).
  shared,
  // Each appender owns its own PartitionLog; all logs share one Flusher, so
  // one flush cycle fdatasyncs every dirty log once.
  per_appender,
};

const char* to_string(LogLayout layout);

// Settings of one `strata-bench log` run.
struct LogBenchOptions {
  std::filesystem::path data_dir;  // empty: a fresh temp dir, removed after
  bool keep_data = false;          // keep what was written (else removed after)
  std::size_t record_bytes = 1024;  // value size; keys are null
  int batch_records = 16;           // records per RecordBatch (one append)
  int appenders = 1;                // threads issuing appends
  LogLayout layout = LogLayout::shared;
  int in_flight = 4;         // appends per appender awaiting durability at most
  double duration_s = 10;    // measured time (ignored when total_mb > 0)
  double total_mb = 0;       // > 0: stop after this many MB (1e6) of values
  double warmup_s = 1;       // appends in the first warmup_s are not measured
  bool fsync = true;         // false: LogOptions::durable = false (no fdatasync)
  std::uint64_t segment_bytes = 1ull << 30;
};

// What one run measured. Throughput counts record values (record_bytes each)
// and, separately, the bytes written to the log (batch framing included).
struct LogBenchResult {
  LogBenchOptions options;
  double elapsed_s = 0;         // first measured append to its last completion
  std::uint64_t appends = 0;    // measured appends completed
  std::uint64_t records = 0;
  std::uint64_t value_bytes = 0;
  std::uint64_t log_bytes = 0;
  std::uint64_t flush_cycles = 0;  // Flusher cycles over the whole run (warmup included)
  std::uint64_t total_appends = 0;  // appends over the whole run (warmup included)
  std::size_t batch_bytes = 0;      // size of one batch on disk
  LatencySummary latency;           // append() call to on_durable, measured appends

  double mb_per_s() const { return elapsed_s > 0 ? value_bytes / 1e6 / elapsed_s : 0; }
  double log_mb_per_s() const { return elapsed_s > 0 ? log_bytes / 1e6 / elapsed_s : 0; }
  double records_per_s() const { return elapsed_s > 0 ? records / elapsed_s : 0; }
  double appends_per_cycle() const {
    return flush_cycles > 0 ? static_cast<double>(total_appends) / flush_cycles : 0;
  }
};

// Runs the benchmark: appends pre-built batches with durable acks until the
// duration or byte budget is spent, waits for every completion, closes the
// logs. Errors: invalid_argument (bad options), io_error, or the first
// append or durability error seen.
Result<LogBenchResult> run_log_bench(const LogBenchOptions& options);

// One machine-readable line: `strata-bench log key=value ...`.
std::string format_log_result_line(const LogBenchResult& result);
// A small human table of the same figures.
std::string format_log_result_table(const LogBenchResult& result);

}  // namespace strata::bench
