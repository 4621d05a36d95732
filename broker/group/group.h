#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "broker/group/group_coordinator.h"
#include "broker/group/group_metadata.h"

namespace strata::broker {

// One group's membership state machine (the diagram is in
// group_coordinator.h). Owned by the GroupCoordinator through a shared_ptr
// (in-flight persists hold one too). Every method except mutex() requires
// the caller to hold mutex(); answers are not run but appended to `out`,
// which the caller runs after unlocking. The code is split by phase:
// group_join.cc, group_rebalance.cc, group_sync.cc, group_liveness.cc
// (heartbeat, leave, expiry), group.cc (views, persisted form).
class Group {
 public:
  using Clock = std::chrono::steady_clock;
  using Completions = std::vector<std::function<void()>>;

  // A metadata record to append (group_metadata.h); `completes_sync` when
  // the leader's SyncGroup waits for it (then call complete_sync()).
  struct PersistRequest {
    std::string value;
    std::int32_t generation_id = 0;
    bool completes_sync = false;
  };

  Group(std::string id, const GroupCoordinatorOptions& options);
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  std::mutex& mutex() { return mu_; }
  const std::string& id() const { return id_; }

  // Brings back a persisted group, Empty, without members.
  void restore(const GroupMetadataRecord& record);

  // `new_member_id` is used when the member joins without an id.
  void join(JoinGroupParams params, JoinGroupCallback done, const std::string& new_member_id,
            Clock::time_point now, Completions& out);
  void sync(SyncGroupParams params, SyncGroupCallback done, Clock::time_point now,
            Completions& out);
  // After the persist that sync() asked for: hands out the assignment (or
  // fails the pending syncs and rebalances when `persisted` is an error).
  void complete_sync(std::int32_t generation_id, const Status& persisted, Clock::time_point now,
                     Completions& out);
  GroupError heartbeat(const HeartbeatParams& params, Clock::time_point now, Completions& out);
  LeaveGroupResult leave(const LeaveGroupParams& params, Clock::time_point now, Completions& out);
  // Expires members and pending members, ends rebalances that timed out.
  void tick(Clock::time_point now, Completions& out);
  // The coordinator stops: every pending answer gets not_coordinator.
  void shut_down(Completions& out);

  // Kafka's validateOffsetCommit; refreshes the member's session on success.
  GroupError validate_commit(std::int32_t generation_id, const std::string& member_id,
                             Clock::time_point now);
  GroupState state() const { return state_; }
  bool has_members() const { return !members_.empty(); }
  // Marks a deleted group Dead (requires: no members).
  void mark_dead() { state_ = GroupState::dead; }

  GroupDescription describe() const;
  GroupListing listing() const;

  // The metadata record to persist, if the last call asked for one.
  std::optional<PersistRequest> take_persist_request();

 private:
  struct Member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
    std::int32_t session_timeout_ms = 0;
    std::int32_t rebalance_timeout_ms = 0;
    std::vector<GroupProtocolMetadata> protocols;
    std::string assignment;
    JoinGroupCallback awaiting_join;
    SyncGroupCallback awaiting_sync;
    Clock::time_point session_deadline;
  };

  bool supports(const std::string& protocol_type,
                const std::vector<GroupProtocolMetadata>& protocols) const;
  void add_member(const std::string& member_id, JoinGroupParams& params, JoinGroupCallback done,
                  Clock::time_point now, Completions& out);
  // Takes the join's settings and callback; a JoinGroup `member` still
  // waited on is answered rebalance_in_progress.
  void update_member(Member& member, JoinGroupParams& params, JoinGroupCallback done,
                     Completions& out);
  void remove_member(const std::string& member_id, Completions& out);
  void prepare_rebalance(Clock::time_point now, Completions& out);
  void try_complete_join(Clock::time_point now, Completions& out);
  void complete_join(Clock::time_point now, Completions& out);
  // After members were removed: rebalance (or finish one) as Kafka does.
  void after_removal(Clock::time_point now, Completions& out);
  JoinGroupResult join_result(const Member& member) const;
  std::string select_protocol() const;
  std::int32_t max_rebalance_timeout_ms() const;
  GroupMetadataRecord to_record(const std::map<std::string, std::string>* assignments) const;
  void request_persist(bool completes_sync,
                       const std::map<std::string, std::string>* assignments = nullptr);

  const std::string id_;
  const GroupCoordinatorOptions& options_;
  std::mutex mu_;
  // Everything below is guarded by mu_.
  GroupState state_ = GroupState::empty;
  std::int32_t generation_id_ = 0;
  std::string protocol_type_;
  std::string protocol_name_;
  std::string leader_id_;
  std::map<std::string, Member> members_;
  // Member ids handed out with member_id_required, until their deadline.
  std::map<std::string, Clock::time_point> pending_members_;
  Clock::time_point rebalance_started_;
  Clock::time_point rebalance_deadline_;
  bool in_initial_delay_ = false;
  // The leader's assignments while their persist is in flight.
  std::map<std::string, std::string> pending_assignments_;
  bool has_sync_persist_in_flight_ = false;
  std::optional<PersistRequest> persist_request_;
};

}  // namespace strata::broker
