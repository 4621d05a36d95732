#include "broker/kafka/handlers/partition_watch.h"

#include <vector>

#include "broker/partition.h"

namespace strata::broker::kafka {

std::uint64_t PartitionWatch::watch(const std::shared_ptr<Partition>& partition,
                                    std::uint64_t seen_seq, std::function<void()> wake) {
  const Partition* key = partition.get();
  bool register_now = false;
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mu_);
    if (!stopped_ && partition->change_seq() == seen_seq) {
      id = next_id_++;
      Entry& entry = entries_[key];
      entry.wakes.emplace(id, std::move(wake));
      by_id_.emplace(id, key);
      register_now = !entry.registered;
      entry.registered = true;
    }
  }
  if (id == 0) {
    wake();
    return 0;
  }
  // The registration outlives nothing it points to: the Server closes every
  // partition (which fires its waiters) before destroying this watch.
  if (register_now) partition->wait_for_change(seen_seq, [this, key] { fire(key); });
  return id;
}

void PartitionWatch::cancel(std::uint64_t id) {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  auto entry = entries_.find(it->second);
  if (entry != entries_.end()) entry->second.wakes.erase(id);
  by_id_.erase(it);
}

void PartitionWatch::fire(const Partition* partition) {
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(partition);
    if (it == entries_.end()) return;
    for (auto& [id, wake] : it->second.wakes) {
      by_id_.erase(id);
      wakes.push_back(std::move(wake));
    }
    entries_.erase(it);
  }
  for (auto& wake : wakes) wake();
}

void PartitionWatch::stop() {
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (auto& [key, entry] : entries_) {
      for (auto& [id, wake] : entry.wakes) wakes.push_back(std::move(wake));
      // Keep `registered`: the partition still holds our registration.
      entry.wakes.clear();
    }
    by_id_.clear();
  }
  for (auto& wake : wakes) wake();
}

}  // namespace strata::broker::kafka
