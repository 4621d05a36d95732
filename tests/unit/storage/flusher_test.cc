#include "storage/flusher.h"

#include <atomic>
#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <mutex>
#include <random>
#include <thread>

#include "common/record_batch.h"
#include "storage/partition_log.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"
#include "tests/unit/storage/test_batches.h"

namespace strata::storage {
namespace {

using strata::testing::TempDir;
using strata::testing::wait_until;
using namespace strata::storage::testing;

std::unique_ptr<PartitionLog> open_log(const std::filesystem::path& dir, LogOptions o,
                                       Flusher* flusher) {
  auto log = PartitionLog::open(dir, std::move(o), flusher);
  REQUIRE(log.ok());
  return std::move(log).value();
}

// Completions seen by callbacks: each records whether its offsets were
// already flushed when it ran.
struct Completions {
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::atomic<int> early{0};  // ran before flushed_end covered the batch

  FlushCallback make(const PartitionLog& log, Offset end) {
    return [this, &log, end](Status st) {
      if (!st.ok()) {
        failed.fetch_add(1);
        return;
      }
      if (log.options().durable && log.flushed_end() < end) early.fetch_add(1);
      ok.fetch_add(1);
    };
  }
};

TEST_CASE("durable appends complete only after a flush, and appends during a sync share the next",
          "[storage][flusher]") {
  TempDir tmp;
  Flusher flusher;
  flusher.start();
  auto log = open_log(tmp / "p-0", small_log_options(), &flusher);
  Completions done;

  // The first completion holds the flusher thread until 50 more appends
  // have arrived: they must all be covered by one later cycle.
  std::atomic<bool> release{false};
  std::atomic<bool> first_ran{false};
  Buffer first = make_batch(1, 10, 1, 1);
  REQUIRE(log->append(first, [&](Status st) {
                  CHECK(st.ok());
                  first_ran = true;
                  wait_until([&] { return release.load(); });
                })
              .ok());
  REQUIRE(wait_until([&] { return first_ran.load(); }));
  const auto cycles_before = flusher.stats().cycles;
  for (int i = 0; i < 50; ++i) {
    Buffer b = make_batch(2, 100, i, static_cast<std::uint64_t>(i));
    auto r = log->append(b);
    REQUIRE(r.ok());
    log->when_flushed(r->last_offset + 1, done.make(*log, r->last_offset + 1));
  }
  CHECK(done.ok.load() == 0);  // nothing is acknowledged before its flush
  release = true;
  REQUIRE(wait_until([&] { return done.ok.load() == 50; }));
  CHECK(done.early.load() == 0);
  CHECK(done.failed.load() == 0);
  CHECK(flusher.stats().cycles - cycles_before <= 2);
  CHECK(log->flushed_end() == log->log_end_offset());
}

TEST_CASE("many logs with their own writers share one flusher and every append completes",
          "[storage][flusher]") {
  TempDir tmp;
  Flusher flusher;
  flusher.start();
  constexpr int kLogs = 4;
  constexpr int kAppends = 100;
  std::vector<std::unique_ptr<PartitionLog>> logs;
  for (int i = 0; i < kLogs; ++i) {
    logs.push_back(open_log(tmp / ("p-" + std::to_string(i)), small_log_options(), &flusher));
  }
  Completions done;
  std::vector<std::thread> writers;
  for (int i = 0; i < kLogs; ++i) {
    writers.emplace_back([&, i] {
      PartitionLog& log = *logs[static_cast<std::size_t>(i)];
      for (int j = 0; j < kAppends; ++j) {
        Buffer b = make_batch(1, 64, j, static_cast<std::uint64_t>(j));
        auto r = log.append(b);
        if (r.ok()) log.when_flushed(r->last_offset + 1, done.make(log, r->last_offset + 1));
      }
    });
  }
  for (auto& t : writers) t.join();
  REQUIRE(wait_until([&] { return done.ok.load() == kLogs * kAppends; }));
  CHECK(done.early.load() == 0);
  CHECK(flusher.stats().log_flushes <= static_cast<std::uint64_t>(kLogs * kAppends));
  for (auto& log : logs) CHECK(log->flushed_end() == Offset(kAppends));
}

TEST_CASE("the logs of one cycle sync in parallel: a log whose completion is slow holds back no "
          "other log of its cycle",
          "[storage][flusher]") {
  TempDir tmp;
  Flusher flusher("flusher", {}, 4);
  flusher.start();
  auto gate = open_log(tmp / "p-gate", small_log_options(), &flusher);
  auto slow = open_log(tmp / "p-slow", small_log_options(), &flusher);
  auto fast = open_log(tmp / "p-fast", small_log_options(), &flusher);

  // Hold a cycle so that `slow` and `fast` are scheduled into the next one,
  // `slow` first.
  std::atomic<bool> gate_open{false}, gate_held{false};
  Buffer first = make_batch(1, 10, 1, 1);
  REQUIRE(gate->append(first, [&](Status) {
                  gate_held = true;
                  wait_until([&] { return gate_open.load(); });
                })
              .ok());
  REQUIRE(wait_until([&] { return gate_held.load(); }));

  std::atomic<bool> slow_release{false}, slow_running{false}, fast_done{false};
  Buffer a = make_batch(1, 10, 2, 2);
  REQUIRE(slow->append(a, [&](Status st) {
                  CHECK(st.ok());
                  slow_running = true;
                  wait_until([&] { return slow_release.load(); });
                })
              .ok());
  Buffer b = make_batch(1, 10, 3, 3);
  REQUIRE(fast->append(b, [&](Status st) {
                  CHECK(st.ok());
                  fast_done = true;
                })
              .ok());
  gate_open = true;
  REQUIRE(wait_until([&] { return slow_running.load(); }));
  // Synced one after the other, `fast` would wait for `slow`'s completion.
  CHECK(wait_until([&] { return fast_done.load(); }));
  slow_release = true;
  REQUIRE(wait_until([&] { return fast_done.load(); }));
  flusher.stop();
  CHECK(fast->flushed_end() == Offset(1));
  CHECK(slow->flushed_end() == Offset(1));
}

TEST_CASE("the cycle observer hears of every cycle and of the logs it synced",
          "[storage][flusher]") {
  TempDir tmp;
  std::mutex mu;
  std::uint64_t observed_cycles = 0;  // guarded by mu
  std::uint64_t observed_logs = 0;    // guarded by mu
  bool negative_duration = false;     // guarded by mu
  Flusher flusher("flusher", [&](std::chrono::nanoseconds took, std::size_t logs) {
    std::lock_guard lock(mu);
    ++observed_cycles;
    observed_logs += logs;
    negative_duration = negative_duration || took.count() < 0;
  });
  flusher.start();
  auto a = open_log(tmp / "p-0", small_log_options(), &flusher);
  auto b = open_log(tmp / "p-1", small_log_options(), &flusher);
  Completions done;
  for (int i = 0; i < 20; ++i) {
    for (PartitionLog* log : {a.get(), b.get()}) {
      Buffer batch = make_batch(1, 64, i, static_cast<std::uint64_t>(i));
      auto r = log->append(batch);
      REQUIRE(r.ok());
      log->when_flushed(r->last_offset + 1, done.make(*log, r->last_offset + 1));
    }
  }
  REQUIRE(wait_until([&] { return done.ok.load() == 40; }));
  // stats() counts a cycle after its observer ran.
  flusher.stop();
  const Flusher::Stats stats = flusher.stats();
  std::lock_guard lock(mu);
  CHECK(stats.cycles >= 1);
  CHECK(observed_cycles == stats.cycles);
  CHECK(observed_logs == stats.log_flushes);
  CHECK_FALSE(negative_duration);
}

TEST_CASE("with durability off completions run at once", "[storage][flusher]") {
  TempDir tmp;
  Flusher flusher;
  flusher.start();
  LogOptions o = small_log_options();
  o.durable = false;
  auto log = open_log(tmp / "p-0", o, &flusher);
  bool completed = false;
  Buffer b = make_batch(1, 10, 1, 1);
  REQUIRE(log->append(b, [&](Status st) { completed = st.ok(); }).ok());
  CHECK(completed);
  CHECK(log->sync().ok());
  CHECK(log->flushed_end() == Offset(1));
}

TEST_CASE("without a running flusher a durable append syncs inline before completing",
          "[storage][flusher]") {
  TempDir tmp;
  auto log = open_log(tmp / "p-0", small_log_options(), nullptr);
  bool completed = false;
  Buffer b = make_batch(4, 10, 1, 1);
  REQUIRE(log->append(b, [&](Status st) { completed = st.ok(); }).ok());
  CHECK(completed);
  CHECK(log->flushed_end() == Offset(4));

  Flusher stopped;  // never started: schedule() refuses, the log syncs inline
  auto other = open_log(tmp / "p-1", small_log_options(), &stopped);
  completed = false;
  Buffer c = make_batch(1, 10, 1, 1);
  REQUIRE(other->append(c, [&](Status st) { completed = st.ok(); }).ok());
  CHECK(completed);
}

TEST_CASE("a completion may append again and sync inline without deadlocking",
          "[storage][flusher]") {
  TempDir tmp;
  auto log = open_log(tmp / "p-0", small_log_options(), nullptr);
  int completed = 0;
  Buffer inner = make_batch(1, 10, 1, 2);
  Buffer outer = make_batch(1, 10, 1, 1);
  REQUIRE(log->append(outer, [&](Status st) {
                  REQUIRE(st.ok());
                  ++completed;
                  REQUIRE(log->append(inner, [&](Status st2) { completed += st2.ok() ? 1 : 0; }).ok());
                })
              .ok());
  CHECK(completed == 2);
  CHECK(log->flushed_end() == Offset(2));
  CHECK(log->acked_end() == Offset(2));
}

TEST_CASE("close completes every waiter and later waiters get shutting_down",
          "[storage][flusher]") {
  TempDir tmp;
  Flusher flusher;
  flusher.start();
  auto log = open_log(tmp / "p-0", small_log_options(), &flusher);
  Completions done;
  for (int i = 0; i < 20; ++i) {
    Buffer b = make_batch(1, 10, i, 1);
    auto r = log->append(b);
    REQUIRE(r.ok());
    log->when_flushed(r->last_offset + 1, done.make(*log, r->last_offset + 1));
  }
  REQUIRE(log->close().ok());
  CHECK(done.ok.load() == 20);
  Status late;
  log->when_flushed(Offset(100), [&](Status st) { late = st; });
  CHECK(late.code() == ErrorCode::shutting_down);
  flusher.stop();
}

TEST_CASE("readers on other threads see whole batches while one writer appends, rolls and "
          "deletes",
          "[storage][flusher][concurrency]") {
  TempDir tmp;
  Flusher flusher;
  flusher.start();
  LogOptions o = small_log_options();
  o.retention_bytes = 4000;
  auto log = open_log(tmp / "p-0", o, &flusher);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::atomic<int> reads{0};
  auto reader = [&](unsigned seed) {
    std::mt19937 rng(seed);
    for (int guard = 0; guard < 1'000'000 && !stop.load(); ++guard) {
      Offset start = log->log_start_offset();
      Offset end = log->flushed_end();
      if (end <= start) continue;
      Offset from = start + static_cast<std::int64_t>(rng() % static_cast<unsigned>(end - start));
      auto r = log->read(from, 1000, end);
      if (!r.ok()) {
        // Retention may pass `from` between the two loads above.
        if (r.status().code() != ErrorCode::out_of_range) bad.fetch_add(1);
        continue;
      }
      ByteSpan rest = *r;
      Offset expect_min = from;
      while (!rest.empty()) {
        auto view = RecordBatchView::validate(rest);
        if (!view.ok() || view->header().next_offset() <= expect_min ||
            view->header().next_offset() > end) {
          bad.fetch_add(1);
          break;
        }
        expect_min = view->header().next_offset();
        rest = rest.subspan(view->header().size_bytes());
      }
      reads.fetch_add(1);
    }
  };
  std::thread r1(reader, 1), r2(reader, 2);
  Completions done;
  for (int i = 0; i < 600; ++i) {
    Buffer b = make_batch(1 + i % 3, 40 + (i * 7) % 200, i, static_cast<std::uint64_t>(i));
    auto r = log->append(b);
    REQUIRE(r.ok());
    log->when_flushed(r->last_offset + 1, done.make(*log, r->last_offset + 1));
    if (i % 50 == 49) REQUIRE(log->apply_retention().ok());
  }
  REQUIRE(wait_until([&] { return done.ok.load() == 600; }));
  stop = true;
  r1.join();
  r2.join();
  CHECK(bad.load() == 0);
  CHECK(reads.load() > 0);
  CHECK(log->log_start_offset() > Offset(0));
}

// RLIMIT_FSIZE makes the kernel refuse writes past a size (EFBIG): a real
// failed write without a fault-injecting file system.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  sighandler_t old_handler_;
};

TEST_CASE("a failed write turns the log read-only and fails its waiters and later appends",
          "[storage][flusher][failure]") {
  TempDir tmp;
  Flusher flusher;
  flusher.start();
  LogOptions o = small_log_options();
  o.segment_bytes = 1 << 20;
  auto log = open_log(tmp / "p-0", o, &flusher);
  append_batches(*log, 2);
  Status waiter;
  Status append_error;
  {
    FileSizeLimit limit(400);  // the log holds 322 bytes; the next batch crosses 400
    Buffer b = make_batch(1, 200, 1, 1);
    auto r = log->append(b);
    REQUIRE_FALSE(r.ok());
    append_error = r.status();
  }
  CHECK(append_error.code() == ErrorCode::io_error);
  CHECK(log->health().code() == ErrorCode::io_error);
  log->when_flushed(Offset(6), [&](Status st) { waiter = st; });
  CHECK(waiter.code() == ErrorCode::io_error);
  Buffer later = make_batch(1, 10, 1, 1);
  CHECK(log->append(later).status() == ErrorCode::io_error);
  CHECK(log->log_end_offset() == Offset(6));
  auto still = log->read(Offset(0), 1 << 20);  // what was written stays readable
  REQUIRE(still.ok());
  CHECK(base_offsets(*still) == std::vector<Offset>{Offset(0), Offset(3)});
  CHECK_FALSE(log->close().ok());
  CHECK_FALSE(std::filesystem::exists(tmp / "p-0" / PartitionLog::kCleanShutdownFile));
}

}  // namespace
}  // namespace strata::storage
