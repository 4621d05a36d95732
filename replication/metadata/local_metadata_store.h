#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

#include "replication/metadata/metadata_store.h"

namespace strata::storage {
class KvStore;
}

namespace strata::replication {

struct LocalMetadataStoreOptions {
  // The broker that holds every partition of a standalone node: the replica,
  // leader and ISR given to topics migrated from the layout before the
  // metadata store (which kept no partition state).
  BrokerId local_broker{0};
};

// The MetadataStore of a standalone broker, on its RocksDB (keys under
// "meta/", docs/formats/metadata.md). Versions come from one revision
// counter stored beside the records and bumped by every write, as etcd's
// revision is; each write is one atomic, synced RocksDB write batch.
//
// open() migrates a data directory written before this store existed (raw
// "cluster-id", "topics/<name>", "producer-id-next" keys) in one write batch.
//
// Threads: any thread (blocking: RocksDB). Writes are serialized by a
// mutex. Watch callbacks run on the thread of the write that made the
// change, after the write and outside every lock; a write made from inside a
// callback queues its changes for the thread already delivering, so order
// holds and nothing deadlocks. It keeps no history: watch(after) with
// `after` below the current revision fails with out_of_range.
class LocalMetadataStore final : public MetadataStore {
 public:
  // Opens the store on `kv` (borrowed: must outlive the store), migrating
  // the old layout first. Errors: corruption (a stored record or counter
  // that does not decode), io_error.
  static Result<std::unique_ptr<LocalMetadataStore>> open(storage::KvStore& kv,
                                                          LocalMetadataStoreOptions options = {});
  ~LocalMetadataStore() override;
  LocalMetadataStore(const LocalMetadataStore&) = delete;
  LocalMetadataStore& operator=(const LocalMetadataStore&) = delete;

  Result<std::string> init_cluster_id(const std::string& proposed) override;
  Result<std::optional<std::string>> cluster_id() override;
  Result<MetadataSnapshot> snapshot() override;
  Result<std::optional<Versioned<TopicRecord>>> get_topic(const std::string& name) override;
  Result<std::optional<Versioned<PartitionState>>> get_partition_state(
      const TopicPartition& partition) override;
  Result<MetadataVersion> create_topic(const TopicRecord& topic,
                                       const std::vector<PartitionState>& partitions) override;
  Result<MetadataVersion> update_topic(const TopicRecord& topic, MetadataVersion expected,
                                       const std::vector<PartitionState>& added) override;
  Result<MetadataVersion> delete_topic(const std::string& name,
                                       std::optional<MetadataVersion> expected) override;
  Result<MetadataVersion> update_partition_state(const TopicPartition& partition,
                                                 const PartitionState& state,
                                                 MetadataVersion expected) override;
  Result<ProducerIdBlock> allocate_producer_ids(std::int64_t count) override;
  Result<WatchId> watch(MetadataVersion after, MetadataWatcher watcher) override;
  void cancel_watch(WatchId id) override;

  // The revision of the last write (0 for a store never written).
  MetadataVersion revision() const;

 private:
  using Change = std::variant<TopicChange, PartitionChange>;
  struct Watch {
    MetadataVersion after;
    MetadataWatcher watcher;
  };

  LocalMetadataStore(storage::KvStore& kv, MetadataVersion revision);

  // Requires mu_ held.
  Result<std::optional<Versioned<TopicRecord>>> read_topic_locked(const std::string& name) const;
  Result<std::map<std::int32_t, Versioned<PartitionState>>> read_partitions_locked(
      const std::string& name) const;
  // Queues `changes` for the watches. Requires mu_ held (keeps revision order).
  void queue_changes(std::vector<Change> changes);
  // Delivers queued changes unless another thread already is. No lock held.
  void deliver();
  void deliver_one(const Change& change, std::unique_lock<std::mutex>& watch_lock);

  storage::KvStore& kv_;

  mutable std::mutex mu_;  // serializes writes and revision reads
  MetadataVersion revision_;  // guarded by mu_

  std::mutex watch_mu_;  // taken after mu_, never before it
  std::condition_variable watch_idle_;
  WatchId next_watch_id_ = 1;                              // guarded by watch_mu_
  std::map<WatchId, std::shared_ptr<Watch>> watches_;      // guarded by watch_mu_
  std::deque<Change> pending_;                             // guarded by watch_mu_
  bool delivering_ = false;                                // guarded by watch_mu_
  std::thread::id delivering_thread_;                      // guarded by watch_mu_
  WatchId running_watch_ = 0;                              // guarded by watch_mu_; 0 = none
};

}  // namespace strata::replication
