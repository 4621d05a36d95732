#include "storage/flusher.h"

#include <algorithm>

#include "storage/logger.h"
#include "storage/partition_log.h"

namespace strata::storage {

Flusher::Flusher(std::string name, CycleObserver observer)
    : name_(std::move(name)), observer_(std::move(observer)) {}

Flusher::~Flusher() { stop(); }

void Flusher::start() {
  std::lock_guard lock(mu_);
  STRATA_CHECK(!running_, "Flusher started twice");
  running_ = true;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  thread_id_ = thread_.get_id();
}

void Flusher::stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  std::lock_guard lock(mu_);
  running_ = false;
}

bool Flusher::schedule(PartitionLog* log) {
  {
    std::lock_guard lock(mu_);
    if (!running_ || stopping_) return false;
    if (std::find(pending_.begin(), pending_.end(), log) != pending_.end()) return true;
    pending_.push_back(log);
  }
  wake_.notify_one();
  return true;
}

void Flusher::detach(PartitionLog* log) {
  std::unique_lock lock(mu_);
  std::erase(pending_, log);
  if (std::this_thread::get_id() == thread_id_) return;
  cycle_done_.wait(lock, [&] {
    return std::find(current_.begin(), current_.end(), log) == current_.end();
  });
}

Flusher::Stats Flusher::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void Flusher::run() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return !pending_.empty() || stopping_; });
    if (pending_.empty()) break;  // stopping and nothing left
    current_.swap(pending_);
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    // Each log's round syncs its dirty segments once and completes the
    // waiters it covered; errors are recorded in the log (read-only).
    for (PartitionLog* log : current_) (void)log->flush_round();
    if (observer_) observer_(std::chrono::steady_clock::now() - started, current_.size());
    lock.lock();
    stats_.cycles += 1;
    stats_.log_flushes += current_.size();
    current_.clear();
    cycle_done_.notify_all();
  }
}

}  // namespace strata::storage
