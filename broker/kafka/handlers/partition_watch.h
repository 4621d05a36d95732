#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace strata::broker {
class Partition;
}

namespace strata::broker::kafka {

// Fans partition change notifications out to waiting Fetch requests. Each
// partition gets at most one registration (Partition::wait_for_change) at a
// time however many requests wait on it, and a request that finishes
// cancels its waits, so idle partitions collect nothing from short polls.
// Owned by KafkaServer; must outlive every Partition it registered with
// (the Server closes the logs before destroying it). Any thread.
class PartitionWatch {
 public:
  PartitionWatch() = default;
  PartitionWatch(const PartitionWatch&) = delete;
  PartitionWatch& operator=(const PartitionWatch&) = delete;

  // Calls `wake` once (on some thread; keep it short) after `partition`
  // changed since `seen_seq`, at once when it already has or the watch is
  // stopped. Returns an id for cancel().
  std::uint64_t watch(const std::shared_ptr<Partition>& partition, std::uint64_t seen_seq,
                      std::function<void()> wake);
  // Forgets a wait (no-op when it already fired).
  void cancel(std::uint64_t id);
  // Wakes every waiter now and every later one at once (broker stopping).
  void stop();

 private:
  struct Entry {
    bool registered = false;
    std::map<std::uint64_t, std::function<void()>> wakes;
  };
  void fire(const Partition* partition);

  std::mutex mu_;
  std::uint64_t next_id_ = 1;                            // guarded by mu_
  std::map<const Partition*, Entry> entries_;            // guarded by mu_
  std::map<std::uint64_t, const Partition*> by_id_;      // guarded by mu_
  bool stopped_ = false;                                 // guarded by mu_
};

}  // namespace strata::broker::kafka
