#pragma once

#include <chrono>
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
// Owned by the broker (or LogManager), one per data dir, and must outlive
// every PartitionLog attached to it. start()/stop() from the owner's thread;
// schedule() and detach() from any thread. Completion callbacks run on the
// Flusher's thread and must be short (post to an executor).
class Flusher {
 public:
  struct Stats {
    std::uint64_t cycles = 0;       // flush cycles run
    std::uint64_t log_flushes = 0;  // log flush rounds run (<= logs per cycle)
  };
  // Told how long each cycle took and how many logs it synced, on the
  // Flusher's thread after the cycle's waiters were completed; must be short.
  using CycleObserver = std::function<void(std::chrono::nanoseconds duration, std::size_t logs)>;

  explicit Flusher(std::string name = "flusher", CycleObserver observer = {});
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
  std::thread::id thread_id_;           // guarded by mu_
};

}  // namespace strata::storage
