#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "broker/group/group_coordinator_options.h"
#include "broker/group/group_error.h"
#include "broker/group/offsets_store.h"
#include "common/ids.h"
#include "common/result.h"
#include "common/status.h"

namespace asio {
class thread_pool;
}

namespace strata::broker {

class Group;

// The states of a group (Kafka's classic protocol):
//
//  Empty --first join--> PreparingRebalance --all joined, or--> CompletingRebalance
//    ^                     |   ^   ^          rebalance timeout     |         |
//    +--no member left-----+   |   +---join, leave, expiry----------+         | leader's
//       (all left, expired     |                                              | SyncGroup
//        or missed the         +---join (new member, the leader, new          v
//        rebalance)                protocols), leave, expiry --------------- Stable
//
//  Empty --DeleteGroups--> Dead     (every group is Dead once the coordinator stops)
enum class GroupState { empty, preparing_rebalance, completing_rebalance, stable, dead };

// Kafka's name for `state`: "Empty", "PreparingRebalance",
// "CompletingRebalance", "Stable", "Dead".
std::string_view to_string(GroupState state);

// One assignor a member supports, with its subscription bytes (opaque).
struct GroupProtocolMetadata {
  std::string name;
  std::string metadata;
};

struct JoinGroupParams {
  std::string group_id;
  // Empty on a first join.
  std::string member_id;
  // Static membership (KIP-345) is not supported: accepted and ignored.
  std::optional<std::string> group_instance_id;
  std::string client_id;
  // The address the member connects from (DescribeGroups' client_host).
  std::string client_host;
  std::int32_t session_timeout_ms = 45000;
  // -1 (JoinGroup v0) means session_timeout_ms.
  std::int32_t rebalance_timeout_ms = 300000;
  std::string protocol_type;
  // Most preferred first; at least one.
  std::vector<GroupProtocolMetadata> protocols;
  // JoinGroup v4+ semantics: a first join (empty member_id) is answered at
  // once with member_id_required and a new member id, which the member must
  // rejoin with within its session timeout. False (v0-v3, native API): the
  // member is admitted directly.
  bool require_known_member_id = false;
};

// A member as the leader sees it in a JoinGroup answer.
struct JoinedMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  // The member's subscription for the chosen protocol.
  std::string metadata;
};

struct JoinGroupResult {
  GroupStatus status;
  std::int32_t generation_id = -1;
  std::string protocol_type;
  // The chosen protocol (assignor); empty on error.
  std::string protocol_name;
  std::string leader_id;
  // This member's id: the new one on a first join, also with
  // member_id_required; empty on other errors for a first join.
  std::string member_id;
  // Every member with its subscription, for the leader only.
  std::vector<JoinedMember> members;
};

struct SyncGroupParams {
  std::string group_id;
  std::int32_t generation_id = -1;
  std::string member_id;
  // SyncGroup v5: when set, must match the group's (else
  // inconsistent_group_protocol).
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  // From the leader: every member's assignment (members left out get empty
  // bytes). From the others: empty.
  std::vector<std::pair<std::string, std::string>> assignments;
};

struct SyncGroupResult {
  GroupStatus status;
  std::string protocol_type;
  std::string protocol_name;
  // This member's assignment bytes (opaque); empty on error.
  std::string assignment;
};

struct HeartbeatParams {
  std::string group_id;
  std::int32_t generation_id = -1;
  std::string member_id;
};

struct LeaveGroupParams {
  std::string group_id;
  // One (LeaveGroup v0-v2) or more (v3+) members.
  std::vector<std::string> member_ids;
};

struct LeaveGroupResult {
  // A group-level error (invalid_group_id, not_coordinator,
  // unknown_member_id when the group is unknown).
  GroupStatus status;
  // Per member, in request order.
  std::vector<std::pair<std::string, GroupError>> members;
};

struct OffsetCommitParams {
  std::string group_id;
  // -1 with an empty member_id: a "simple" commit, allowed only while the
  // group has no members.
  std::int32_t generation_id = -1;
  std::string member_id;
  // Already validated by the handler (known partitions, offset >= 0,
  // metadata size).
  std::vector<OffsetEntry> entries;
};

struct GroupMemberDescription {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string client_id;
  std::string client_host;
  std::int32_t session_timeout_ms = 0;
  std::int32_t rebalance_timeout_ms = 0;
  // Subscription for the chosen protocol (empty before one is chosen).
  std::string metadata;
  // Assignment of the current generation (empty before SyncGroup).
  std::string assignment;
};

struct GroupDescription {
  // group_id_not_found for an unknown group (Kafka's DescribeGroups answers
  // that with state "Dead" and no error), invalid_group_id, not_coordinator.
  GroupStatus status;
  std::string group_id;
  GroupState state = GroupState::dead;
  std::string protocol_type;
  // The chosen protocol; empty unless CompletingRebalance or Stable.
  std::string protocol_name;
  // 0 before the first generation; bumped by every completed join phase.
  std::int32_t generation_id = 0;
  std::string leader_id;
  std::vector<GroupMemberDescription> members;
};

struct GroupListing {
  std::string group_id;
  GroupState state = GroupState::empty;
  // Empty for a group that only holds offsets.
  std::string protocol_type;
};

using JoinGroupCallback = std::function<void(JoinGroupResult)>;
using SyncGroupCallback = std::function<void(SyncGroupResult)>;
using GroupStatusCallback = std::function<void(GroupStatus)>;
using LeaveGroupCallback = std::function<void(LeaveGroupResult)>;
using OffsetFetchCallback =
    std::function<void(GroupStatus, std::vector<std::pair<TopicPartition, CommittedOffset>>)>;

// The group coordinator of this broker: Kafka's classic membership protocol
// (join, sync, heartbeat, leave, generations, session and rebalance
// timeouts) and the committed offsets of every group, shared by the native
// gRPC services and the Kafka listener. Transport-neutral: handlers pass
// plain structs and get the answer through a callback.
//
// Threads: every method may be called from any thread, including network
// threads: none blocks on I/O (RocksDB reads and log appends run on the
// pool or the offsets partition's strand). Each group is a state machine
// behind its own mutex. Callbacks run OUTSIDE every lock, exactly once, on
// the calling thread (answers known at once), on the timer thread (expiry,
// rebalance timeouts), on another member's calling thread (a JoinGroup that
// completes the rebalance answers everyone), on a pool thread, or on the
// offsets partition's strand; they must be quick and must not block.
// JoinGroup and SyncGroup answers may come much later (when the rebalance
// completes), so a handler keeps its request context alive until then.
//
// Durability: committed offsets, and the group's metadata (protocol type,
// protocol, generation, leader, members with their assignments) written
// when a generation's assignment is synced or the group empties, are
// appended to __consumer_offsets through OffsetsStore; after a restart
// every group comes back Empty with its generation and protocol type and
// its offsets (members rejoin; their old member ids get
// unknown_member_id).
//
// Lifecycle: owned by the Server. load() then start() before serving;
// stop() answers every pending JoinGroup/SyncGroup with not_coordinator and
// every later call too. The OffsetsStore and pool must outlive it.
class GroupCoordinator {
 public:
  GroupCoordinator(OffsetsStore& offsets, asio::thread_pool& pool,
                   GroupCoordinatorOptions options = {});
  ~GroupCoordinator();
  GroupCoordinator(const GroupCoordinator&) = delete;
  GroupCoordinator& operator=(const GroupCoordinator&) = delete;

  // Reads every persisted group and every group with offsets (blocking
  // RocksDB reads; call once before start()).
  Status load();
  // Starts the timer thread.
  void start();
  // Stops the timer thread and fails pending answers with not_coordinator.
  void stop();

  // JoinGroup. Errors: invalid_group_id, invalid_session_timeout,
  // inconsistent_group_protocol, unknown_member_id, member_id_required
  // (with member_id set), rebalance_in_progress (a duplicate join of the
  // same member replaced this one), not_coordinator.
  void join(JoinGroupParams params, JoinGroupCallback done);
  // SyncGroup. Errors: unknown_member_id, illegal_generation,
  // rebalance_in_progress, inconsistent_group_protocol, not_coordinator.
  void sync(SyncGroupParams params, SyncGroupCallback done);
  // Heartbeat. none in Stable and CompletingRebalance; errors:
  // rebalance_in_progress (rejoin), illegal_generation, unknown_member_id,
  // not_coordinator.
  void heartbeat(const HeartbeatParams& params, GroupStatusCallback done);
  // LeaveGroup: removes the members and rebalances.
  void leave(const LeaveGroupParams& params, LeaveGroupCallback done);

  // OffsetCommit, checked against the member and generation (Kafka's
  // ClassicGroup.validateOffsetCommit): a member of the current generation
  // may commit in Stable and PreparingRebalance; CompletingRebalance gives
  // rebalance_in_progress; a stale generation illegal_generation; an
  // unknown member (or a simple commit to a group with members)
  // unknown_member_id; a member commit to an unknown group
  // illegal_generation. A simple commit creates the group. `done` runs once
  // the offsets are durable (coordinator_not_available if the append
  // failed).
  void commit_offsets(OffsetCommitParams params, GroupStatusCallback done);
  // OffsetFetch: the committed offsets of `partitions` (every partition with
  // an offset when nullopt; partitions without one are left out). Any
  // state; an unknown group has none. Runs on the pool.
  void fetch_offsets(const std::string& group_id,
                     std::optional<std::vector<TopicPartition>> partitions,
                     OffsetFetchCallback done);
  // Moves committed offsets of a group without members (the CLI's reset):
  // non_empty_group otherwise.
  void reset_offsets(const std::string& group_id, std::vector<OffsetEntry> entries,
                     GroupStatusCallback done);

  // DescribeGroups for one group; memory only, answers at once.
  GroupDescription describe(const std::string& group_id) const;
  // ListGroups: every group, by id; `states` empty means all.
  std::vector<GroupListing> list(const std::vector<GroupState>& states = {}) const;
  // DeleteGroups for one group: removes its offsets and metadata.
  // non_empty_group while it has members, group_id_not_found when unknown.
  void delete_group(const std::string& group_id, GroupStatusCallback done);

  const GroupCoordinatorOptions& options() const { return options_; }

 private:
  std::shared_ptr<Group> find(const std::string& group_id) const;
  std::shared_ptr<Group> find_or_create(const std::string& group_id);
  bool is_stopped() const;
  void run_timer();
  // Takes the group's persist request, unlocks, runs `out`, then persists.
  void finish(const std::shared_ptr<Group>& group, std::vector<std::function<void()>>& out,
              std::unique_lock<std::mutex>& lock);
  void persist(const std::shared_ptr<Group>& group, std::string value,
               std::int32_t generation_id, bool completes_sync);

  OffsetsStore& offsets_;
  asio::thread_pool& pool_;
  const GroupCoordinatorOptions options_;

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Group>> groups_;  // guarded by mu_
  bool stopped_ = false;                                  // guarded by mu_
  std::condition_variable timer_cv_;
  std::thread timer_;
};

}  // namespace strata::broker
