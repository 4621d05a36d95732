#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>

#include "broker/partition.h"
#include "broker/replica_manager.h"
#include "broker/topic_config.h"
#include "broker/topic_table.h"
#include "common/result.h"
#include "common/status.h"

namespace strata::storage {
class LogManager;
}  // namespace strata::storage

namespace strata::broker {

// One topic: an immutable snapshot. AddPartitions publishes a new one.
struct Topic {
  std::string name;
  std::string topic_id;  // Kafka's topic id, 32 hex digits
  TopicConfig config;
  bool is_internal = false;
  std::vector<std::shared_ptr<Partition>> partitions;  // by partition number

  // Partition `index`. Errors: not_found ("<name>-<index>: no such partition").
  Result<std::shared_ptr<Partition>> find_partition(std::int32_t index) const;
};

// Every topic of this standalone node with its open partitions: joins the
// TopicTable (what exists, kept in the metadata store) and the
// ReplicaManager (the partitions open here, logs under
// <data-dir>/<topic>-<partition>/) and publishes the pair as immutable
// Topic snapshots.
//
// Threads: find_topic() and list_topics() from any thread (a short lock, no
// I/O). The mutating calls (create, delete, add partitions) block on disk
// and RocksDB: run them on admin_executor(), which runs them one at a time.
// load() and stop() from the owner (the broker's Server) only.
class TopicManager {
 public:
  // Everything borrowed must outlive this. `local_broker` is this broker's
  // node id: the replica and leader of the partitions it creates.
  TopicManager(replication::MetadataStore& store, storage::LogManager& logs,
               asio::thread_pool& pool, TopicDefaults defaults, BrokerId local_broker);
  ~TopicManager();
  TopicManager(const TopicManager&) = delete;
  TopicManager& operator=(const TopicManager&) = delete;

  // Opens every topic stored in the metadata store (recovering its logs).
  Status load();
  // Starts the periodic retention check.
  void start_retention(std::chrono::milliseconds interval);
  // Stops the retention timer and closes every log (blocks until closed).
  void stop();

  // --- admin executor only ---
  // Errors: invalid_argument (name, partition count, configs: see the
  // subject in the message), already_exists, io_error.
  Status create_topic(const std::string& name, std::int32_t partitions,
                      std::map<std::string, std::string> configs, bool internal = false);
  // Errors: not_found, invalid_argument (internal topic), io_error.
  Status delete_topic(const std::string& name);
  // Errors: not_found, invalid_argument (count not larger / over the limit).
  Status add_partitions(const std::string& name, std::int32_t total_partitions);

  // --- any thread ---
  // Errors: not_found.
  Result<std::shared_ptr<const Topic>> find_topic(const std::string& name) const;
  // Every topic, ordered by name.
  std::vector<std::shared_ptr<const Topic>> list_topics() const;
  asio::thread_pool::executor_type admin_executor() { return admin_pool_.get_executor(); }
  const TopicDefaults& defaults() const { return table_.defaults(); }

 private:
  void publish(const TopicTable::Entry& entry, std::vector<std::shared_ptr<Partition>> partitions);
  void arm_retention_timer();

  asio::thread_pool& pool_;
  TopicTable table_;
  ReplicaManager replicas_;
  asio::thread_pool admin_pool_{1};

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Topic>> topics_;  // guarded by mu_
  bool retention_running_ = false;                              // guarded by mu_
  std::unique_ptr<asio::steady_timer> retention_timer_;         // guarded by mu_
  std::chrono::milliseconds retention_interval_{0};
};

}  // namespace strata::broker
