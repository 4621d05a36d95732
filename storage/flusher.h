#pragma once

#include <chrono>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace strata::storage {

class PartitionLog;

// Group commit for every log of one data directory: one thread that runs
// flush cycles back to back. A cycle takes every log with pending durable
// appends, fdatasyncs each of its dirty segment files once, and completes
// every waiter whose offset is now flushed; appends that arrive during a
// cycle share the next one. No timer: cycles grow with load and shrink to a
// single append when idle (docs/PERFORMANCE.md §3).
//
// A cycle that covers several logs syncs them in parallel, on up to
// `sync_threads` threads (this one and helpers that sleep between cycles):
// the disk merges concurrent flushes, so eight fdatasyncs issued together
// cost about what one does, while one after another they cost eight
// (measured here: 8 files x 16 KiB per cycle, 4.4 ms in parallel against
// 33 ms in series). One log's round stays on one thread.
//
// Owned by the broker (or LogManager), one per data dir, and must outlive
// every PartitionLog attached to it. start()/stop() from the owner's thread;
// schedule() and detach() from any thread. Completion callbacks run on one
// of the Flusher's sync threads and must be short (post to an executor).
class Flusher {
 public:
  struct Stats {
    std::uint64_t cycles = 0;       // flush cycles run
    std::uint64_t log_flushes = 0;  // log flush rounds run (<= logs per cycle)
  };
  // Told how long each cycle took and how many logs it synced, on the
  // Flusher's thread after the cycle's waiters were completed; must be short.
  using CycleObserver = std::function<void(std::chrono::nanoseconds duration, std::size_t logs)>;

  static constexpr std::size_t kDefaultSyncThreads = 8;

  // sync_threads >= 1: how many logs of one cycle sync at once.
  explicit Flusher(std::string name = "flusher", CycleObserver observer = {},
                   std::size_t sync_threads = kDefaultSyncThreads);
  // Stops the thread (see stop()).
  ~Flusher();
  Flusher(const Flusher&) = delete;
  Flusher& operator=(const Flusher&) = delete;

  // Starts the thread. Requires: not running.
  void start();
  // Finishes the cycle in progress and one more for everything scheduled,
  // then joins. Afterwards schedule() returns false and logs sync inline.
  void stop();

  // Asks for `log` to be flushed in the next cycle. Returns false when the
  // Flusher is not running (the caller then syncs inline). Idempotent.
  bool schedule(PartitionLog* log);
  // Forgets `log` and waits until no cycle is using it. Called by
  // PartitionLog::close(); never from a completion callback of that log.
  void detach(PartitionLog* log);

  Stats stats() const;

 private:
  void run();
  // Runs current_'s flush rounds, in parallel when there are several.
  void run_cycle();
  // Takes logs of the cycle by index until none is left.
  void sync_share();
  void helper_loop();

  const std::string name_;
  const CycleObserver observer_;
  mutable std::mutex mu_;
  std::condition_variable wake_;     // work arrived or stop requested
  std::condition_variable cycle_done_;
  std::vector<PartitionLog*> pending_;  // guarded by mu_
  std::vector<PartitionLog*> current_;  // guarded by mu_: logs of the running cycle
  bool running_ = false;                // guarded by mu_
  bool stopping_ = false;               // guarded by mu_
  Stats stats_;                         // guarded by mu_
  std::thread thread_;
  std::vector<std::thread::id> sync_thread_ids_;  // guarded by mu_: thread_ and helpers_

  // The parallel part of a cycle. current_ is written only by the Flusher's
  // thread between cycles, so helpers read it unlocked during one; handing
  // out tickets under cycle_mu_ orders that read after the write.
  const std::size_t sync_threads_;
  std::vector<std::thread> helpers_;
  std::mutex cycle_mu_;
  std::condition_variable cycle_start_;  // tickets handed out, or helpers stop
  std::condition_variable cycle_end_;    // a helper finished its share
  std::size_t tickets_ = 0;              // guarded by cycle_mu_: helpers still to join the cycle
  std::size_t finished_ = 0;             // guarded by cycle_mu_: helpers done with this cycle
  bool helpers_stop_ = false;            // guarded by cycle_mu_
  std::atomic<std::size_t> next_log_{0}; // index into current_ of the next log to sync
};

}  // namespace strata::storage
