#pragma once

// A consumer's membership in a group: Kafka's classic protocol seen from the
// member (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) over GroupService.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <strata/assignor.h>
#include <strata/options.h>

#include "client/src/connection.h"
#include "client/src/metadata_cache.h"
#include "client/src/offsets_client.h"
#include "common/ids.h"
#include "common/status.h"

namespace strata::client {

// One member of one group. The owning Consumer drives joins and syncs from
// poll() through advance(); JoinGroup and SyncGroup are asynchronous gRPC
// calls, so one thread may drive several members (their joins complete
// together). A heartbeat thread keeps the member alive between polls and
// notes when the coordinator asks for a rejoin.
//
// Threads: advance(), leave() and the accessors from the consumer's thread
// (one at a time); the heartbeat thread and gRPC callbacks touch only the
// state guarded by mu_. Borrows the pool, metadata and offsets client,
// which must outlive it.
class GroupMember {
 public:
  struct Options {
    std::string group_id;
    std::string client_id;
    std::vector<std::string> topics;
    std::int32_t session_timeout_ms = 45000;
    std::int32_t rebalance_timeout_ms = 300000;
    std::int32_t heartbeat_interval_ms = 3000;
    // Assignor names, most preferred first (each known to make_assignor).
    std::vector<std::string> assignors{"range", "roundrobin"};
  };

  // What advance() reports.
  struct Progress {
    // The member must give up its partitions before it rejoins (the
    // consumer commits and tells the application first).
    bool must_revoke = false;
    // A new generation's partitions, once SyncGroup answered.
    std::optional<std::vector<TopicPartition>> assigned;
  };

  GroupMember(ConnectionPool& pool, MetadataCache& metadata, OffsetsClient& offsets,
              Options options);
  // Stops the heartbeat thread and cancels in-flight calls (does not leave).
  ~GroupMember();
  GroupMember(const GroupMember&) = delete;
  GroupMember& operator=(const GroupMember&) = delete;

  // Moves the membership forward, waiting at most until `deadline`:
  // returns must_revoke when a rejoin is due while partitions are held
  // (call again after revoking), `assigned` when a generation completes.
  // Errors: the coordinator's non-retriable answers (invalid session
  // timeout, inconsistent protocol, invalid group id).
  Result<Progress> advance(std::chrono::steady_clock::time_point deadline, bool holds_partitions);

  // Whether the member has a current generation and no rejoin is due.
  bool is_stable() const;
  // Waits until a rejoin is due or `deadline`.
  void wait_for_rejoin(std::chrono::steady_clock::time_point deadline);
  // The generation and member id commits must carry (-1 and "" when none).
  GroupIdentity identity() const;
  // Leaves the group (LeaveGroup), best effort.
  void leave();

 private:
  enum class Phase { idle, joining, syncing, stable };
  struct Call;

  void send_join();
  void send_sync(std::vector<std::pair<std::string, std::string>> assignments);
  // Handles a JoinGroup answer: the leader computes the assignment.
  Status on_joined();
  Result<std::optional<std::vector<TopicPartition>>> on_synced();
  Result<std::vector<std::pair<std::string, std::string>>> compute_assignment(
      const std::string& protocol, const std::vector<std::pair<std::string, std::string>>& members);
  void run_heartbeats();
  // Reacts to a group error: rejoin, forget the member id, or find the
  // coordinator again. Returns the error when it is not retriable.
  Status on_group_error(const v1::Error& error);
  Connection& coordinator_connection();

  ConnectionPool& pool_;
  MetadataCache& metadata_;
  OffsetsClient& offsets_;
  const Options options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;            // call completions, rejoin requests
  std::condition_variable heartbeat_cv_;  // wakes the heartbeat thread to stop
  Phase phase_ = Phase::idle;                            // guarded by mu_
  bool rejoin_needed_ = true;                            // guarded by mu_
  std::string member_id_;                                // guarded by mu_
  std::int32_t generation_id_ = -1;                      // guarded by mu_
  std::shared_ptr<Call> call_;                           // in flight; guarded by mu_
  bool call_done_ = false;                               // guarded by mu_
  std::chrono::steady_clock::time_point retry_after_{};  // guarded by mu_
  bool stopping_ = false;                                // guarded by mu_
  bool coordinator_stale_ = false;                       // guarded by mu_
  std::thread heartbeat_;
};

}  // namespace strata::client
