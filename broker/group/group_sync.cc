// Group: SyncGroup — the leader's assignment, persisted, then handed out.
#include "broker/group/group.h"

#include <algorithm>
#include <chrono>

#include "broker/group/group_internal.h"

namespace strata::broker {

using group_internal::sync_error;
using std::chrono::milliseconds;

void Group::sync(SyncGroupParams params, SyncGroupCallback done, Clock::time_point now,
                 Completions& out) {
  auto fail = [&](GroupError error, std::string message) {
    out.push_back([done = std::move(done), r = sync_error(error, std::move(message))]() mutable {
      done(std::move(r));
    });
  };
  if (state_ == GroupState::dead) {
    return fail(GroupError::coordinator_not_available, "group " + id_ + " is being deleted");
  }
  auto it = members_.find(params.member_id);
  if (it == members_.end()) {
    return fail(GroupError::unknown_member_id,
                "group " + id_ + ": member " + params.member_id + " is unknown");
  }
  if (params.generation_id != generation_id_) {
    return fail(GroupError::illegal_generation,
                "group " + id_ + ": generation " + std::to_string(params.generation_id) +
                    " is not the current " + std::to_string(generation_id_));
  }
  if ((params.protocol_type && *params.protocol_type != protocol_type_) ||
      (params.protocol_name && *params.protocol_name != protocol_name_)) {
    return fail(GroupError::inconsistent_group_protocol,
                "group " + id_ + ": protocol does not match the group's");
  }
  Member& member = it->second;
  switch (state_) {
    case GroupState::preparing_rebalance:
      return fail(GroupError::rebalance_in_progress, "group " + id_ + " is rebalancing");
    case GroupState::completing_rebalance:
      if (member.awaiting_sync) {
        out.push_back([old = std::move(member.awaiting_sync)] {
          old(sync_error(GroupError::rebalance_in_progress, "replaced by a newer SyncGroup"));
        });
      }
      member.awaiting_sync = std::move(done);
      member.session_deadline = now + milliseconds(member.session_timeout_ms);
      if (member.member_id == leader_id_ && !has_sync_persist_in_flight_) {
        pending_assignments_.clear();
        for (auto& [id, bytes] : params.assignments) {
          if (members_.count(id) > 0) pending_assignments_[id] = std::move(bytes);
        }
        has_sync_persist_in_flight_ = true;
        request_persist(true, &pending_assignments_);
      }
      return;
    case GroupState::stable: {
      member.session_deadline = now + milliseconds(member.session_timeout_ms);
      SyncGroupResult r;
      r.protocol_type = protocol_type_;
      r.protocol_name = protocol_name_;
      r.assignment = member.assignment;
      out.push_back([done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
      return;
    }
    case GroupState::empty:
    case GroupState::dead:
      return fail(GroupError::unknown_member_id, "group " + id_ + " has no members");
  }
}

void Group::complete_sync(std::int32_t generation_id, const Status& persisted,
                          Clock::time_point now, Completions& out) {
  has_sync_persist_in_flight_ = false;
  if (state_ != GroupState::completing_rebalance || generation_id != generation_id_) {
    return;  // the rebalance restarted meanwhile; pending syncs were answered
  }
  if (!persisted.ok()) {
    for (auto& [id, m] : members_) {
      if (!m.awaiting_sync) continue;
      out.push_back([cb = std::move(m.awaiting_sync), msg = persisted.message()] {
        cb(sync_error(GroupError::coordinator_not_available, "group metadata: " + msg));
      });
      m.awaiting_sync = nullptr;
    }
    prepare_rebalance(now, out);
    return;
  }
  for (auto& [id, m] : members_) {
    auto a = pending_assignments_.find(id);
    m.assignment = a == pending_assignments_.end() ? std::string() : std::move(a->second);
    if (!m.awaiting_sync) continue;
    SyncGroupResult r;
    r.protocol_type = protocol_type_;
    r.protocol_name = protocol_name_;
    r.assignment = m.assignment;
    out.push_back([cb = std::move(m.awaiting_sync), r = std::move(r)]() mutable {
      cb(std::move(r));
    });
    m.awaiting_sync = nullptr;
  }
  pending_assignments_.clear();
  state_ = GroupState::stable;
}

}  // namespace strata::broker
