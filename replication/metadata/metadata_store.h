#pragma once

// The cluster metadata a broker reads and writes: the cluster id, the topic
// table, per-partition state (replicas, leader, leader epoch, ISR),
// producer-id blocks, and a watch on changes. One interface, two
// implementations: LocalMetadataStore (RocksDB, standalone) and the etcd
// store (cluster mode). The rest of the broker cannot tell which it has.
//
// The contract is etcd's, so the etcd store maps it one-to-one:
//  - a MetadataVersion is the revision of the write that last changed a
//    record (etcd mod_revision); revisions rise across the whole store, so
//    they also order watch events. 0 means "absent".
//  - every conditional write names the version it read; it fails with
//    kVersionConflict when the record moved (an etcd Txn comparing
//    mod_revision). Multi-key writes (a topic with its partitions) are
//    atomic (one Txn / one RocksDB write batch).
//  - watch(after) delivers every change with a revision above `after`, in
//    revision order (an etcd Watch from after+1).
// Key layouts: docs/formats/metadata.md.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "common/status.h"

namespace strata::replication {

// The revision at which a record was last written (etcd mod_revision).
// Rises across the whole store. kAbsentVersion (0) names a record that does
// not exist: as `expected` it means "create only if absent".
using MetadataVersion = StrongInt<struct MetadataVersionTag, std::int64_t>;
inline constexpr MetadataVersion kAbsentVersion{0};

// The code of a failed compare-and-set: the record's version is not the one
// the caller read (or it was created or deleted meanwhile). Re-read, retry.
inline constexpr ErrorCode kVersionConflict = ErrorCode::stale_epoch;

// No broker: the leader of a partition that has none.
inline constexpr BrokerId kNoBroker{-1};

// One topic as the cluster knows it.
struct TopicRecord {
  std::string name;
  // Kafka's topic id: 32 lowercase hex digits (a 128-bit UUID), chosen at
  // creation (new_topic_id()) and never changed; a topic re-created under
  // the same name gets a new one.
  std::string topic_id;
  std::int32_t partition_count = 0;
  // The configs set on the topic (not the broker defaults), Kafka's names.
  std::map<std::string, std::string> configs;
  bool is_internal = false;

  bool operator==(const TopicRecord&) const = default;
};

// The replication state of one partition: who holds it and who leads.
// Written by the controller (cluster) or the topic table (standalone);
// ISR changes by the leader, always by compare-and-set.
struct PartitionState {
  std::vector<BrokerId> replicas;  // assignment order; the first is the preferred leader
  BrokerId leader = kNoBroker;     // kNoBroker while offline
  LeaderEpoch leader_epoch{0};     // bumped on every leader change
  std::vector<BrokerId> isr;       // in-sync replicas, leader included

  bool operator==(const PartitionState&) const = default;
};

// A record with the version it was read at.
template <typename T>
struct Versioned {
  T value;
  MetadataVersion version;
};

// Everything at one revision (an etcd Range at one header revision).
struct MetadataSnapshot {
  std::map<std::string, Versioned<TopicRecord>> topics;             // by name
  std::map<TopicPartition, Versioned<PartitionState>> partitions;  // every partition of them
  // The store's revision when read: pass it to watch() to miss nothing.
  MetadataVersion revision;
};

// A range of producer ids [first, first + count) that no other allocation,
// on any broker or after any restart, hands out again.
struct ProducerIdBlock {
  std::int64_t first = 0;
  std::int64_t count = 0;
  std::int64_t end() const { return first + count; }
};

// A change of one topic record. `record` is empty when the topic was deleted.
struct TopicChange {
  std::string name;
  std::optional<Versioned<TopicRecord>> record;
  MetadataVersion revision;  // of the write that made the change
};

// A change of one partition's state. `state` is empty when it was deleted
// (with its topic).
struct PartitionChange {
  TopicPartition partition;
  std::optional<Versioned<PartitionState>> state;
  MetadataVersion revision;  // of the write that made the change
};

// What a watch calls. Callbacks run one at a time, in revision order, on a
// thread the store chooses (never with a store lock held, so they may call
// the store); keep them short. Within one write, topic changes come before
// the partition changes of the same topic. Each member may be empty.
struct MetadataWatcher {
  std::function<void(const TopicChange&)> on_topic;
  std::function<void(const PartitionChange&)> on_partition;
  // The watch ended and delivers nothing more: the changes after the given
  // revision are no longer available (etcd compaction: out_of_range), or the
  // store is closing (shutting_down). Re-read a snapshot and watch again.
  std::function<void(const Status&)> on_error;
};

using WatchId = std::uint64_t;

// The interface. Every method is thread-safe and may block on disk or the
// network: never call it on a reactor or gRPC thread. Errors besides those
// listed: io_error / corruption (local store), unavailable / timed_out
// (etcd unreachable; the write may or may not have happened: re-read),
// shutting_down.
class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // --- cluster id: created once, then only read ---
  // The stored cluster id; when there is none yet, stores `proposed` and
  // returns it (create-if-absent: two brokers racing agree on one id).
  // Errors: invalid_argument (empty `proposed`).
  virtual Result<std::string> init_cluster_id(const std::string& proposed) = 0;
  // The stored cluster id, or nullopt before init_cluster_id.
  virtual Result<std::optional<std::string>> cluster_id() = 0;

  // --- reads ---
  // Every topic and partition state at one revision.
  virtual Result<MetadataSnapshot> snapshot() = 0;
  // The topic `name`, or nullopt.
  virtual Result<std::optional<Versioned<TopicRecord>>> get_topic(const std::string& name) = 0;
  // The state of one partition, or nullopt when it does not exist.
  virtual Result<std::optional<Versioned<PartitionState>>> get_partition_state(
      const TopicPartition& partition) = 0;

  // --- topic writes (atomic with their partition states) ---
  // Creates `topic` with `partitions` (one state per partition, index
  // order; size == topic.partition_count). Returns the write's revision.
  // Errors: already_exists (a topic of that name exists), invalid_argument
  // (empty name or topic id, count mismatch).
  virtual Result<MetadataVersion> create_topic(const TopicRecord& topic,
                                               const std::vector<PartitionState>& partitions) = 0;
  // Replaces the topic record read at `expected` with `topic` (configs,
  // partition count) and creates the states of the partitions it adds:
  // `added` holds one state per new partition, from the old count on.
  // Returns the write's revision. Errors: not_found, kVersionConflict,
  // invalid_argument (topic id changed, fewer partitions, `added` size).
  virtual Result<MetadataVersion> update_topic(const TopicRecord& topic, MetadataVersion expected,
                                               const std::vector<PartitionState>& added) = 0;
  // Deletes the topic and every partition state of it, when its version is
  // `expected` (any version when nullopt). Returns the write's revision.
  // Errors: not_found, kVersionConflict.
  virtual Result<MetadataVersion> delete_topic(const std::string& name,
                                               std::optional<MetadataVersion> expected) = 0;

  // --- partition state: compare-and-set only ---
  // Replaces the state read at `expected` with `state`. Returns the new
  // version. Errors: not_found (no such partition), kVersionConflict.
  virtual Result<MetadataVersion> update_partition_state(const TopicPartition& partition,
                                                         const PartitionState& state,
                                                         MetadataVersion expected) = 0;

  // --- producer ids ---
  // Atomically takes the next `count` producer ids, durably, before it
  // returns. Errors: invalid_argument (count < 1), corruption (a stored
  // counter that is not a number).
  virtual Result<ProducerIdBlock> allocate_producer_ids(std::int64_t count) = 0;

  // --- watch ---
  // Calls `watcher` for every change with a revision above `after` (pass a
  // snapshot's revision), until cancel_watch. Errors: out_of_range when the
  // changes after `after` are no longer available (re-read and retry).
  virtual Result<WatchId> watch(MetadataVersion after, MetadataWatcher watcher) = 0;
  // Stops a watch. After it returns no callback of it runs or starts, except
  // when called from inside one of that watch's own callbacks. Unknown ids
  // are ignored.
  virtual void cancel_watch(WatchId id) = 0;
};

// A fresh random topic id: 32 lowercase hex digits.
std::string new_topic_id();

}  // namespace strata::replication
