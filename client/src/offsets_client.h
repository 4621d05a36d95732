#pragma once

// Outbound calls about positions: committed group offsets (OffsetsService)
// and offset lookups (FetchService.ListOffsets).

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <strata/admin.h>
#include <strata/consumer.h>

#include "client/src/connection.h"
#include "client/src/metadata_cache.h"

namespace strata::client {

// A committed offset as OffsetFetch returns it.
struct CommittedPosition {
  Offset offset{-1};  // -1 when nothing is committed
  std::string metadata;
};

// Who commits: a group member's generation and member id, or -1 and ""
// for a consumer outside any group (a "simple" commit).
struct GroupIdentity {
  std::int32_t generation_id = -1;
  std::string member_id;
};

// Commits and reads a group's offsets at its coordinator (the bootstrap
// broker until it answers NOT_COORDINATOR, then the one FindCoordinator
// names), and looks up offsets at partition leaders. Every call has the
// request_timeout_ms deadline. Thread-safe; owned by a Consumer or Admin
// Impl; borrows the pool and cache, which must outlive it.
class OffsetsClient {
 public:
  OffsetsClient(ConnectionPool& pool, MetadataCache& metadata) : pool_(pool), metadata_(metadata) {}
  ~OffsetsClient() { wait_async_idle(); }
  OffsetsClient(const OffsetsClient&) = delete;
  OffsetsClient& operator=(const OffsetsClient&) = delete;

  // Commits as `identity` (by default a consumer outside any group). The
  // group-level error, else the first failing partition's, is returned.
  Status commit(const std::string& group_id, const std::map<TopicPartition, Offset>& offsets,
                const GroupIdentity& identity = {});
  // Same without waiting; `callback` (may be empty) runs on a gRPC thread.
  void commit_async(const std::string& group_id, const std::map<TopicPartition, Offset>& offsets,
                    CommitCallback callback, const GroupIdentity& identity = {});
  // Waits until every commit_async() has completed.
  void wait_async_idle();

  // The group's committed offsets of `partitions` (all it has when empty).
  Result<std::map<TopicPartition, CommittedPosition>> fetch(
      const std::string& group_id, const std::vector<TopicPartition>& partitions);

  // ListOffsets for `partitions` of `topic`, at each partition's leader.
  Result<std::vector<ListedOffset>> list_offsets(const std::string& topic,
                                                 const std::vector<std::int32_t>& partitions,
                                                 OffsetSpec spec, std::int64_t timestamp_ms = -1);

  // Where a group's coordinator is: the bootstrap broker until it says
  // otherwise. `refresh` asks FindCoordinator.
  Result<std::string> coordinator(const std::string& group_id, bool refresh);

 private:
  ConnectionPool& pool_;
  MetadataCache& metadata_;
  std::mutex mu_;
  std::condition_variable idle_cv_;
  std::map<std::string, std::string> coordinators_;  // group id -> address; guarded by mu_
  std::int32_t async_in_flight_ = 0;                 // guarded by mu_
};

}  // namespace strata::client
