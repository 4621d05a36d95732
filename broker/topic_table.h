#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "broker/topic_config.h"
#include "common/ids.h"
#include "common/result.h"
#include "common/status.h"
#include "replication/metadata/metadata_store.h"

namespace strata::broker {

// The topics that exist, as the metadata store holds them: each topic's
// record, the version it was read at, and its effective config. Every
// change is written to the store first (compare-and-set on the version the
// table holds) and applied to the table once the store took it. Whether a
// partition is open on this broker is ReplicaManager's business.
//
// Standalone: this broker is the one replica and the leader of every
// partition it creates (`local_broker`, leader epoch 0).
//
// Threads: find() and list() from any thread (a short lock, no I/O); the
// writes block on the store: one caller at a time (TopicManager's admin
// executor, or start-up).
class TopicTable {
 public:
  struct Entry {
    replication::TopicRecord record;
    replication::MetadataVersion version;
    TopicConfig config;
  };

  // `store` is borrowed and must outlive this.
  TopicTable(replication::MetadataStore& store, TopicDefaults defaults, BrokerId local_broker)
      : store_(store), defaults_(defaults), local_broker_(local_broker) {}
  TopicTable(const TopicTable&) = delete;
  TopicTable& operator=(const TopicTable&) = delete;

  // Reads every topic from the store. Errors: the store's; invalid_argument
  // when a stored config no longer validates.
  Status load();

  // Checks a new topic (name unless internal, partition count, configs).
  // Errors: invalid_argument, already_exists.
  Result<TopicConfig> check_new(const std::string& name, std::int32_t partitions,
                                std::map<std::string, std::string> configs, bool internal) const;
  // Stores a topic that check_new accepted. Errors: already_exists, the store's.
  Result<Entry> create(const std::string& name, std::int32_t partitions, TopicConfig config,
                       bool internal);
  // Errors: not_found, the store's (kVersionConflict if it moved).
  Status remove(const std::string& name);
  // Raises the partition count. Errors: not_found, the store's.
  Result<Entry> grow(const std::string& name, std::int32_t total_partitions);

  std::optional<Entry> find(const std::string& name) const;
  std::vector<Entry> list() const;  // by name
  const TopicDefaults& defaults() const { return defaults_; }

 private:
  // The state of a partition created on this standalone broker.
  replication::PartitionState local_partition() const;

  replication::MetadataStore& store_;
  const TopicDefaults defaults_;
  const BrokerId local_broker_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> topics_;  // guarded by mu_
};

}  // namespace strata::broker
