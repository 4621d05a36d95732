// LocalMetadataStore's watches: changes are queued under the store's write
// lock (so in revision order) and delivered by whichever writing thread
// finds nobody delivering; see the class comment.

#include "replication/metadata/local_metadata_store.h"

namespace strata::replication {

Result<WatchId> LocalMetadataStore::watch(MetadataVersion after, MetadataWatcher watcher) {
  std::lock_guard lock(mu_);
  if (after < revision_) {
    return out_of_range_error("metadata watch: changes after revision " +
                              std::to_string(after.value()) +
                              " are not kept (the store is at revision " +
                              std::to_string(revision_.value()) + "); read a snapshot first");
  }
  std::lock_guard watch_lock(watch_mu_);
  const WatchId id = next_watch_id_++;
  watches_.emplace(id, std::make_shared<Watch>(Watch{after, std::move(watcher)}));
  return id;
}

void LocalMetadataStore::cancel_watch(WatchId id) {
  std::unique_lock lock(watch_mu_);
  watches_.erase(id);
  // From inside the watch's own callback: it returns after this does.
  if (delivering_ && delivering_thread_ == std::this_thread::get_id()) return;
  watch_idle_.wait(lock, [&] { return running_watch_ != id; });
}

void LocalMetadataStore::queue_changes(std::vector<Change> changes) {
  std::lock_guard lock(watch_mu_);
  for (Change& change : changes) pending_.push_back(std::move(change));
}

void LocalMetadataStore::deliver() {
  std::unique_lock lock(watch_mu_);
  if (delivering_) return;  // that thread drains what this one queued
  delivering_ = true;
  delivering_thread_ = std::this_thread::get_id();
  while (!pending_.empty()) {
    Change change = std::move(pending_.front());
    pending_.pop_front();
    deliver_one(change, lock);
  }
  delivering_ = false;
  delivering_thread_ = {};
  watch_idle_.notify_all();
}

void LocalMetadataStore::deliver_one(const Change& change, std::unique_lock<std::mutex>& lock) {
  const MetadataVersion revision =
      std::visit([](const auto& c) { return c.revision; }, change);
  // Ids in order; a watch added or cancelled meanwhile is looked up again.
  std::vector<WatchId> ids;
  for (const auto& [id, watch] : watches_) ids.push_back(id);
  for (WatchId id : ids) {
    auto it = watches_.find(id);
    if (it == watches_.end() || revision <= it->second->after) continue;
    std::shared_ptr<Watch> watch = it->second;
    running_watch_ = id;
    lock.unlock();
    if (const auto* topic = std::get_if<TopicChange>(&change)) {
      if (watch->watcher.on_topic) watch->watcher.on_topic(*topic);
    } else if (const auto* partition = std::get_if<PartitionChange>(&change)) {
      if (watch->watcher.on_partition) watch->watcher.on_partition(*partition);
    }
    lock.lock();
    running_watch_ = 0;
    watch_idle_.notify_all();
  }
}

}  // namespace strata::replication
