#pragma once

// Cached answers of MetadataService.GetMetadata: partition counts, leaders
// and broker addresses.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/src/connection.h"
#include "common/result.h"

namespace strata::client {

// Where one topic's partitions live.
struct TopicRoute {
  std::string topic;
  std::vector<std::int32_t> leaders;  // by partition; -1 when none
  std::int32_t partition_count() const { return static_cast<std::int32_t>(leaders.size()); }
};

// Topic metadata, fetched on first use and again after invalidate() (the
// producer and consumer invalidate on NOT_LEADER and transport errors).
// Thread-safe; owned by a client's Impl; borrows the ConnectionPool, which
// must outlive it.
class MetadataCache {
 public:
  explicit MetadataCache(ConnectionPool& pool) : pool_(pool) {}

  // The topic's route, from the cache or one GetMetadata. Errors: not_found
  // (UNKNOWN_TOPIC), invalid_argument (INVALID_TOPIC_NAME), and transport
  // errors naming the broker.
  Result<std::shared_ptr<const TopicRoute>> route(const std::string& topic);

  // Forgets the topic, so the next route() asks again.
  void invalidate(const std::string& topic);

  // The address to send a partition's produce and fetch requests to: its
  // leader's native listener in a cluster of several brokers, else the
  // bootstrap address (which is the leader on a single node, whatever host
  // name the broker advertises).
  std::string leader_address(const std::string& topic, std::int32_t partition);

 private:
  Result<std::shared_ptr<const TopicRoute>> fetch(const std::string& topic);

  ConnectionPool& pool_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const TopicRoute>> routes_;  // guarded by mu_
  std::map<std::int32_t, std::string> brokers_;                      // guarded by mu_
};

}  // namespace strata::client
