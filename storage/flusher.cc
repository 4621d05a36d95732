#include "storage/flusher.h"

#include <algorithm>

#include "storage/logger.h"
#include "storage/partition_log.h"

namespace strata::storage {

Flusher::Flusher(std::string name, CycleObserver observer, std::size_t sync_threads)
    : name_(std::move(name)),
      observer_(std::move(observer)),
      sync_threads_(std::max<std::size_t>(1, sync_threads)) {}

Flusher::~Flusher() { stop(); }

void Flusher::start() {
  std::lock_guard lock(mu_);
  STRATA_CHECK(!running_, "Flusher started twice");
  running_ = true;
  stopping_ = false;
  {
    std::lock_guard cycle(cycle_mu_);
    helpers_stop_ = false;
  }
  sync_thread_ids_.clear();
  for (std::size_t i = 1; i < sync_threads_; ++i) {
    helpers_.emplace_back([this] { helper_loop(); });
    sync_thread_ids_.push_back(helpers_.back().get_id());
  }
  thread_ = std::thread([this] { run(); });
  sync_thread_ids_.push_back(thread_.get_id());
}

void Flusher::stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  {
    std::lock_guard cycle(cycle_mu_);
    helpers_stop_ = true;
  }
  cycle_start_.notify_all();
  for (std::thread& helper : helpers_) helper.join();
  helpers_.clear();
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
  // From a completion callback the cycle in progress is this thread's own.
  if (std::ranges::find(sync_thread_ids_, std::this_thread::get_id()) != sync_thread_ids_.end()) {
    return;
  }
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
    run_cycle();
    if (observer_) observer_(std::chrono::steady_clock::now() - started, current_.size());
    lock.lock();
    stats_.cycles += 1;
    stats_.log_flushes += current_.size();
    current_.clear();
    cycle_done_.notify_all();
  }
}

void Flusher::run_cycle() {
  // Each log's round syncs its dirty segments once and completes the
  // waiters it covered; errors are recorded in the log (read-only).
  const std::size_t helpers = std::min(helpers_.size(), current_.size() - 1);
  next_log_.store(0, std::memory_order_relaxed);
  if (helpers > 0) {
    std::lock_guard cycle(cycle_mu_);
    tickets_ = helpers;
    finished_ = 0;
  }
  if (helpers == 1) cycle_start_.notify_one();
  if (helpers > 1) cycle_start_.notify_all();
  sync_share();
  if (helpers == 0) return;
  // Every ticket is taken and its share done before current_ changes again.
  std::unique_lock cycle(cycle_mu_);
  cycle_end_.wait(cycle, [&] { return finished_ == helpers; });
}

void Flusher::sync_share() {
  for (std::size_t i = next_log_.fetch_add(1, std::memory_order_relaxed); i < current_.size();
       i = next_log_.fetch_add(1, std::memory_order_relaxed)) {
    (void)current_[i]->flush_round();
  }
}

void Flusher::helper_loop() {
  std::unique_lock cycle(cycle_mu_);
  while (true) {
    cycle_start_.wait(cycle, [&] { return tickets_ > 0 || helpers_stop_; });
    if (helpers_stop_) return;
    --tickets_;
    cycle.unlock();
    sync_share();
    cycle.lock();
    ++finished_;
    cycle_end_.notify_one();
  }
}

}  // namespace strata::storage
