// Group: the rebalance — PreparingRebalance begins and ends, the new
// generation, its protocol and the leader's member list.
#include "broker/group/group.h"

#include <algorithm>
#include <chrono>

#include "broker/group/group_internal.h"

namespace strata::broker {

using group_internal::offers;
using group_internal::sync_error;
using std::chrono::milliseconds;

void Group::prepare_rebalance(Clock::time_point now, Completions& out) {
  if (state_ == GroupState::completing_rebalance) {
    // The assignment being synced is void: those members must rejoin.
    for (auto& [id, m] : members_) {
      m.assignment.clear();
      if (m.awaiting_sync) {
        out.push_back([cb = std::move(m.awaiting_sync)] {
          cb(sync_error(GroupError::rebalance_in_progress, "the group is rebalancing again"));
        });
        m.awaiting_sync = nullptr;
      }
    }
  }
  const bool was_empty = state_ == GroupState::empty;
  state_ = GroupState::preparing_rebalance;
  rebalance_started_ = now;
  in_initial_delay_ = was_empty && options_.initial_rebalance_delay_ms > 0;
  if (in_initial_delay_) {
    rebalance_deadline_ = now + milliseconds(std::min(options_.initial_rebalance_delay_ms,
                                                      max_rebalance_timeout_ms()));
  } else {
    rebalance_deadline_ = now + milliseconds(max_rebalance_timeout_ms());
  }
}

void Group::try_complete_join(Clock::time_point now, Completions& out) {
  if (state_ != GroupState::preparing_rebalance) return;
  if (members_.empty() && pending_members_.empty()) return complete_join(now, out);
  if (in_initial_delay_ || !pending_members_.empty()) return;
  const bool all_joined = std::all_of(members_.begin(), members_.end(),
                                      [](const auto& m) { return bool(m.second.awaiting_join); });
  if (all_joined) complete_join(now, out);
}

void Group::complete_join(Clock::time_point now, Completions& out) {
  // Members that did not rejoin within the rebalance timeout are dropped.
  std::vector<std::string> missing;
  for (const auto& [id, m] : members_) {
    if (!m.awaiting_join) missing.push_back(id);
  }
  for (const std::string& id : missing) remove_member(id, out);
  pending_members_.clear();
  in_initial_delay_ = false;
  ++generation_id_;
  for (auto& [id, m] : members_) m.assignment.clear();
  if (members_.empty()) {
    state_ = GroupState::empty;
    protocol_name_.clear();
    leader_id_.clear();
    request_persist(false);
    return;
  }
  protocol_name_ = select_protocol();
  state_ = GroupState::completing_rebalance;
  for (auto& [id, m] : members_) {
    out.push_back([cb = std::move(m.awaiting_join), r = join_result(m)]() mutable {
      cb(std::move(r));
    });
    m.awaiting_join = nullptr;
    m.session_deadline = now + milliseconds(m.session_timeout_ms);
  }
}

JoinGroupResult Group::join_result(const Member& member) const {
  JoinGroupResult r;
  r.generation_id = generation_id_;
  r.protocol_type = protocol_type_;
  r.protocol_name = protocol_name_;
  r.leader_id = leader_id_;
  r.member_id = member.member_id;
  if (member.member_id == leader_id_) {
    for (const auto& [id, m] : members_) {
      JoinedMember jm{id, m.group_instance_id, {}};
      for (const auto& p : m.protocols) {
        if (p.name == protocol_name_) jm.metadata = p.metadata;
      }
      r.members.push_back(std::move(jm));
    }
  }
  return r;
}

std::string Group::select_protocol() const {
  // Candidates: offered by every member, in the leader's order of
  // preference. Each member votes for its favourite candidate; most votes
  // win, ties go to the leader's preference.
  const Member& leader = members_.at(leader_id_);
  std::vector<std::string> candidates;
  for (const auto& p : leader.protocols) {
    const bool everyone = std::all_of(members_.begin(), members_.end(), [&](const auto& m) {
      return offers(m.second.protocols, p.name);
    });
    if (everyone) candidates.push_back(p.name);
  }
  std::map<std::string, int> votes;
  for (const auto& [id, m] : members_) {
    for (const auto& p : m.protocols) {
      if (std::find(candidates.begin(), candidates.end(), p.name) != candidates.end()) {
        ++votes[p.name];
        break;
      }
    }
  }
  std::string best;
  int best_votes = -1;
  for (const std::string& c : candidates) {
    if (votes[c] > best_votes) {
      best = c;
      best_votes = votes[c];
    }
  }
  return best;
}

std::int32_t Group::max_rebalance_timeout_ms() const {
  std::int32_t max = 0;
  for (const auto& [id, m] : members_) max = std::max(max, m.rebalance_timeout_ms);
  return max;
}

}  // namespace strata::broker
