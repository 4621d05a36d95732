#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "replication/etcd/etcd_client.h"
#include "replication/etcd/etcd_watcher.h"
#include "replication/metadata/metadata_store.h"

namespace strata::replication {

// Settings of an EtcdMetadataStore; every field has a default.
struct EtcdMetadataStoreOptions {
  // Every key of the cluster lives under this prefix; clusters sharing one
  // etcd differ in it. Ends with '/'.
  std::string key_prefix = "/strata/strata/";
};

// The MetadataStore of cluster mode, on etcd (keys: etcd_metadata_keys.h):
// a record's version is its etcd mod_revision, a conditional write is a Txn
// comparing it, a multi-key write one Txn, a snapshot one Txn of reads (one
// revision), a watch an EtcdWatcher on the prefix from after + 1.
//
// Threads: every call blocks its caller on etcd (EtcdClient's deadlines);
// thread-safe. Watch callbacks run on that watch's own EtcdWatcher thread.
// Borrows `client`, which must outlive the store.
//
// Errors besides the interface's: a record etcd holds that does not decode
// is corruption naming its key. watch() checks `after` against etcd's
// compaction when it starts; a compaction that overtakes a running watch
// ends it through on_error (out_of_range).
class EtcdMetadataStore final : public MetadataStore {
 public:
  EtcdMetadataStore(EtcdClient& client, EtcdMetadataStoreOptions options);
  // Cancels every watch.
  ~EtcdMetadataStore() override;
  EtcdMetadataStore(const EtcdMetadataStore&) = delete;
  EtcdMetadataStore& operator=(const EtcdMetadataStore&) = delete;

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

 private:
  // Why a conditional write on `key` failed, from the else-branch read of it.
  Status conflict_or_missing(const std::string& what, const EtcdTxnResult& result) const;
  // Routes one etcd event to the watcher; false (with `why`) on a record that
  // does not decode.
  bool deliver(const MetadataWatcher& watcher, const EtcdEvent& event, Status& why) const;

  EtcdClient& client_;
  const std::string root_;
  std::mutex mu_;
  WatchId next_watch_id_ = 1;                                 // guarded by mu_
  std::map<WatchId, std::unique_ptr<EtcdWatcher>> watches_;  // guarded by mu_
  // Watches cancelled from their own callback: stopped, destroyed later from
  // another thread (a watcher cannot join its own thread).
  std::vector<std::unique_ptr<EtcdWatcher>> retired_;  // guarded by mu_
};

}  // namespace strata::replication
