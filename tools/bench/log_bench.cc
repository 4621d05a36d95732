#include "tools/bench/log_bench.h"

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <system_error>
#include <thread>
#include <vector>

#include "common/bytes.h"
#include "common/record_batch_builder.h"
#include "storage/flusher.h"
#include "storage/log_options.h"
#include "storage/partition_log.h"

namespace strata::bench {
namespace {

using Clock = std::chrono::steady_clock;

Result<Buffer> build_batch(std::size_t record_bytes, int records, std::uint32_t seed) {
  // Random values: what the disk sees does not depend on them (no
  // compression), but nothing downstream can shortcut zeros either.
  std::mt19937 rng(seed);
  Buffer value(record_bytes);
  for (std::byte& b : value) b = static_cast<std::byte>(rng() & 0xff);
  RecordBatchBuilder builder;
  const std::int64_t now_ms = storage::system_clock_ms();
  for (int i = 0; i < records; ++i) {
    STRATA_TRY(builder.append(now_ms, std::nullopt, ByteSpan(value)));
  }
  return builder.build();
}

// Makes a fresh directory: `parent`/strata-log-bench-XXXXXX.
Result<std::filesystem::path> make_run_dir(const std::filesystem::path& parent) {
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) return io_error(parent.string() + ": cannot create: " + ec.message());
  std::string templ = (parent / "strata-log-bench-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) {
    return io_error(parent.string() + ": mkdtemp failed: " + std::strerror(errno));
  }
  return std::filesystem::path(templ);
}

// One appender's bookkeeping, shared between its thread (issues appends) and
// the Flusher thread (completes them).
struct AppenderState {
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;               // guarded by mu
  LatencyRecorder latencies;       // guarded by mu: measured appends only
  std::uint64_t measured_done = 0;  // guarded by mu
  std::uint64_t total_done = 0;     // guarded by mu
  Clock::time_point last_done;      // guarded by mu: last measured completion
  Status error;                     // guarded by mu: first failure
};

// A log with the mutex that makes its appenders take turns (PartitionLog has
// one writer at a time).
struct BenchLog {
  std::unique_ptr<storage::PartitionLog> log;
  std::mutex writer_mu;
};

// Everything one run shares between its threads.
struct RunShared {
  const LogBenchOptions& options;
  Clock::time_point measure_start;
  std::optional<Clock::time_point> measure_end;  // none when bounded by bytes
  std::uint64_t byte_budget = 0;                 // measured value bytes; 0 = none
  std::atomic<std::uint64_t> measured_bytes_issued{0};
  std::atomic<bool> stop{false};
};

void run_appender(RunShared& shared, BenchLog& target, AppenderState& st, Buffer batch) {
  const int limit = shared.options.in_flight;
  const std::uint64_t value_bytes_per_append =
      shared.options.record_bytes * static_cast<std::uint64_t>(shared.options.batch_records);
  while (!shared.stop.load(std::memory_order_relaxed)) {
    {
      std::unique_lock lock(st.mu);
      st.cv.wait(lock, [&] { return st.in_flight < limit || !st.error.ok(); });
      if (!st.error.ok()) break;
      ++st.in_flight;
    }
    const Clock::time_point t0 = Clock::now();
    if (shared.measure_end && t0 >= *shared.measure_end) {
      std::lock_guard lock(st.mu);
      --st.in_flight;
      break;
    }
    const bool measured = t0 >= shared.measure_start;
    if (measured && shared.byte_budget > 0 &&
        shared.measured_bytes_issued.fetch_add(value_bytes_per_append) >= shared.byte_budget) {
      std::lock_guard lock(st.mu);
      --st.in_flight;
      break;
    }
    auto on_durable = [&st, t0, measured](Status status) {
      const Clock::time_point t1 = Clock::now();
      {
        std::lock_guard lock(st.mu);
        --st.in_flight;
        ++st.total_done;
        if (!status.ok() && st.error.ok()) st.error = status;
        if (status.ok() && measured) {
          st.latencies.record(t1 - t0);
          ++st.measured_done;
          st.last_done = std::max(st.last_done, t1);
        }
      }
      st.cv.notify_one();
    };
    Status append_status;
    {
      // The lock is part of the measured latency: waiting for the writer
      // turn is what an appender to a shared partition pays.
      std::lock_guard writer(target.writer_mu);
      auto appended = target.log->append(std::span<std::byte>(batch), std::move(on_durable));
      if (!appended.ok()) append_status = appended.status();
    }
    if (!append_status.ok()) {
      std::lock_guard lock(st.mu);
      --st.in_flight;
      if (st.error.ok()) st.error = append_status;
      break;
    }
  }
  // Every issued append completes (or the log fails every waiter).
  std::unique_lock lock(st.mu);
  st.cv.wait(lock, [&] { return st.in_flight == 0; });
}

Status validate(const LogBenchOptions& o) {
  if (o.record_bytes == 0) return invalid_argument_error("--record-bytes must be >= 1");
  if (o.batch_records < 1) return invalid_argument_error("--batch-records must be >= 1");
  if (o.appenders < 1) return invalid_argument_error("--appenders must be >= 1");
  if (o.in_flight < 1) return invalid_argument_error("--in-flight must be >= 1");
  if (o.duration_s <= 0 && o.total_mb <= 0) {
    return invalid_argument_error("--duration-s or --total-mb must be positive");
  }
  if (o.warmup_s < 0) return invalid_argument_error("--warmup-s must be >= 0");
  return Status::ok_status();
}

}  // namespace

const char* to_string(LogLayout layout) {
  return layout == LogLayout::shared ? "shared" : "per-appender";
}

Result<LogBenchResult> run_log_bench(const LogBenchOptions& options) {
  STRATA_TRY(validate(options));
  const std::filesystem::path parent =
      options.data_dir.empty() ? std::filesystem::temp_directory_path() : options.data_dir;
  STRATA_TRY_ASSIGN(std::filesystem::path run_dir, make_run_dir(parent));
  struct Cleanup {
    std::filesystem::path dir;
    bool keep;
    ~Cleanup() {
      std::error_code ec;
      if (!keep) std::filesystem::remove_all(dir, ec);
    }
  } cleanup{run_dir, options.keep_data};

  storage::Flusher flusher("bench-flusher");
  flusher.start();
  storage::LogOptions log_options;
  log_options.durable = options.fsync;
  log_options.segment_bytes = options.segment_bytes;
  const int log_count = options.layout == LogLayout::shared ? 1 : options.appenders;
  std::vector<std::unique_ptr<BenchLog>> logs;
  for (int i = 0; i < log_count; ++i) {
    auto bench_log = std::make_unique<BenchLog>();
    STRATA_TRY_ASSIGN(bench_log->log,
                      storage::PartitionLog::open(run_dir / ("bench-" + std::to_string(i)),
                                                  log_options, &flusher));
    logs.push_back(std::move(bench_log));
  }

  std::vector<Buffer> batches;
  for (int i = 0; i < options.appenders; ++i) {
    STRATA_TRY_ASSIGN(Buffer b, build_batch(options.record_bytes, options.batch_records,
                                            static_cast<std::uint32_t>(i + 1)));
    batches.push_back(std::move(b));
  }
  const std::size_t batch_bytes = batches.front().size();

  RunShared shared{options, {}, {}, 0};
  const Clock::time_point start = Clock::now();
  shared.measure_start =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                  options.warmup_s));
  if (options.total_mb > 0) {
    shared.byte_budget = static_cast<std::uint64_t>(options.total_mb * 1e6);
  } else {
    shared.measure_end = shared.measure_start + std::chrono::duration_cast<Clock::duration>(
                                                    std::chrono::duration<double>(
                                                        options.duration_s));
  }
  std::vector<std::unique_ptr<AppenderState>> states;
  std::vector<std::thread> threads;
  for (int i = 0; i < options.appenders; ++i) {
    states.push_back(std::make_unique<AppenderState>());
    BenchLog& target = *logs[static_cast<std::size_t>(i % log_count)];
    threads.emplace_back(run_appender, std::ref(shared), std::ref(target),
                         std::ref(*states.back()), std::move(batches[static_cast<std::size_t>(i)]));
  }
  for (std::thread& t : threads) t.join();

  LogBenchResult result;
  result.options = options;
  result.batch_bytes = batch_bytes;
  LatencyRecorder all;
  Clock::time_point last = shared.measure_start;
  Status first_error;
  for (const auto& st : states) {
    std::lock_guard lock(st->mu);
    all.merge(st->latencies);
    result.appends += st->measured_done;
    result.total_appends += st->total_done;
    last = std::max(last, st->last_done);
    if (first_error.ok() && !st->error.ok()) first_error = st->error;
  }
  for (auto& bench_log : logs) {
    Status st = bench_log->log->close();
    if (first_error.ok() && !st.ok()) first_error = st;
  }
  result.flush_cycles = flusher.stats().cycles;
  flusher.stop();
  STRATA_TRY(first_error);
  result.elapsed_s = std::chrono::duration<double>(last - shared.measure_start).count();
  result.records = result.appends * static_cast<std::uint64_t>(options.batch_records);
  result.value_bytes = result.records * options.record_bytes;
  result.log_bytes = result.appends * batch_bytes;
  result.latency = all.summarize();
  return result;
}

}  // namespace strata::bench
