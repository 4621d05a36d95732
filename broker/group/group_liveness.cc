// Group: liveness — heartbeats, commits' member checks, leaving, session
// expiry and rebalance deadlines (tick), and shutdown.
#include "broker/group/group.h"

#include <algorithm>
#include <chrono>

#include "broker/group/group_internal.h"

namespace strata::broker {

using group_internal::join_error;
using group_internal::sync_error;
using std::chrono::milliseconds;

GroupError Group::heartbeat(const HeartbeatParams& params, Clock::time_point now,
                            Completions& out) {
  (void)out;
  if (state_ == GroupState::dead) return GroupError::coordinator_not_available;
  if (state_ == GroupState::empty) return GroupError::unknown_member_id;
  auto it = members_.find(params.member_id);
  if (it == members_.end()) return GroupError::unknown_member_id;
  if (params.generation_id != generation_id_) return GroupError::illegal_generation;
  it->second.session_deadline = now + milliseconds(it->second.session_timeout_ms);
  if (state_ == GroupState::preparing_rebalance) return GroupError::rebalance_in_progress;
  return GroupError::none;
}

GroupError Group::validate_commit(std::int32_t generation_id, const std::string& member_id,
                                  Clock::time_point now) {
  if (state_ == GroupState::dead) return GroupError::coordinator_not_available;
  if (generation_id < 0 && member_id.empty() && state_ == GroupState::empty) {
    return GroupError::none;
  }
  if (state_ == GroupState::completing_rebalance) return GroupError::rebalance_in_progress;
  auto it = members_.find(member_id);
  if (it == members_.end()) return GroupError::unknown_member_id;
  if (generation_id != generation_id_) return GroupError::illegal_generation;
  it->second.session_deadline = now + milliseconds(it->second.session_timeout_ms);
  return GroupError::none;
}

LeaveGroupResult Group::leave(const LeaveGroupParams& params, Clock::time_point now,
                              Completions& out) {
  LeaveGroupResult result;
  bool removed = false;
  for (const std::string& id : params.member_ids) {
    if (pending_members_.erase(id) > 0) {
      result.members.emplace_back(id, GroupError::none);
      removed = true;
    } else if (members_.count(id) == 0 || state_ == GroupState::dead) {
      result.members.emplace_back(id, GroupError::unknown_member_id);
    } else {
      remove_member(id, out);
      result.members.emplace_back(id, GroupError::none);
      removed = true;
    }
  }
  if (removed) after_removal(now, out);
  return result;
}

void Group::remove_member(const std::string& member_id, Completions& out) {
  auto it = members_.find(member_id);
  if (it == members_.end()) return;
  Member& m = it->second;
  if (m.awaiting_join) {
    out.push_back([cb = std::move(m.awaiting_join), member_id] {
      cb(join_error(GroupError::unknown_member_id, member_id, "the member left the group"));
    });
  }
  if (m.awaiting_sync) {
    out.push_back([cb = std::move(m.awaiting_sync)] {
      cb(sync_error(GroupError::unknown_member_id, "the member left the group"));
    });
  }
  members_.erase(it);
  if (leader_id_ == member_id) leader_id_ = members_.empty() ? "" : members_.begin()->first;
}

void Group::after_removal(Clock::time_point now, Completions& out) {
  if (state_ == GroupState::stable || state_ == GroupState::completing_rebalance) {
    prepare_rebalance(now, out);
  }
  try_complete_join(now, out);
}

void Group::tick(Clock::time_point now, Completions& out) {
  bool removed = false;
  for (auto it = pending_members_.begin(); it != pending_members_.end();) {
    if (it->second <= now) {
      it = pending_members_.erase(it);
      removed = true;
    } else {
      ++it;
    }
  }
  std::vector<std::string> expired;
  for (const auto& [id, m] : members_) {
    // A member waiting for a join or sync answer is alive by definition.
    if (!m.awaiting_join && !m.awaiting_sync && m.session_deadline <= now) expired.push_back(id);
  }
  for (const std::string& id : expired) remove_member(id, out);
  removed = removed || !expired.empty();
  if (removed) after_removal(now, out);
  if (state_ == GroupState::preparing_rebalance && rebalance_deadline_ <= now) {
    if (in_initial_delay_) {
      in_initial_delay_ = false;
      rebalance_deadline_ =
          std::max(now, rebalance_started_ + milliseconds(max_rebalance_timeout_ms()));
      try_complete_join(now, out);
    } else {
      complete_join(now, out);
    }
  }
}

void Group::shut_down(Completions& out) {
  for (auto& [id, m] : members_) {
    if (m.awaiting_join) {
      out.push_back([cb = std::move(m.awaiting_join), id = id] {
        cb(join_error(GroupError::not_coordinator, id, "the coordinator is stopping"));
      });
      m.awaiting_join = nullptr;
    }
    if (m.awaiting_sync) {
      out.push_back([cb = std::move(m.awaiting_sync)] {
        cb(sync_error(GroupError::not_coordinator, "the coordinator is stopping"));
      });
      m.awaiting_sync = nullptr;
    }
  }
}

}  // namespace strata::broker
