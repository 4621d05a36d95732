#include "broker/group/group.h"

#include <algorithm>

namespace strata::broker {
namespace {

using std::chrono::milliseconds;

GroupStatus error_status(GroupError error, std::string message = {}) {
  return GroupStatus{error, std::move(message)};
}

JoinGroupResult join_error(GroupError error, std::string member_id, std::string message = {}) {
  JoinGroupResult r;
  r.status = error_status(error, std::move(message));
  r.member_id = std::move(member_id);
  return r;
}

SyncGroupResult sync_error(GroupError error, std::string message = {}) {
  SyncGroupResult r;
  r.status = error_status(error, std::move(message));
  return r;
}

bool same_protocols(const std::vector<GroupProtocolMetadata>& a,
                    const std::vector<GroupProtocolMetadata>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.name == y.name && x.metadata == y.metadata;
  });
}

bool offers(const std::vector<GroupProtocolMetadata>& protocols, const std::string& name) {
  return std::any_of(protocols.begin(), protocols.end(),
                     [&](const GroupProtocolMetadata& p) { return p.name == name; });
}

}  // namespace

Group::Group(std::string id, const GroupCoordinatorOptions& options)
    : id_(std::move(id)), options_(options) {}

void Group::restore(const GroupMetadataRecord& record) {
  state_ = GroupState::empty;
  generation_id_ = record.generation_id;
  protocol_type_ = record.protocol_type;
}

bool Group::supports(const std::string& protocol_type,
                     const std::vector<GroupProtocolMetadata>& protocols) const {
  if (protocol_type.empty() || protocols.empty()) return false;
  if (members_.empty()) return true;
  if (protocol_type != protocol_type_) return false;
  // Some protocol this member offers must be offered by every member.
  return std::any_of(protocols.begin(), protocols.end(), [&](const GroupProtocolMetadata& p) {
    return std::all_of(members_.begin(), members_.end(),
                       [&](const auto& m) { return offers(m.second.protocols, p.name); });
  });
}

void Group::join(JoinGroupParams params, JoinGroupCallback done, const std::string& new_member_id,
                 Clock::time_point now, Completions& out) {
  auto fail = [&](GroupError error, std::string message) {
    out.push_back([done = std::move(done), r = join_error(error, params.member_id,
                                                          std::move(message))]() mutable {
      done(std::move(r));
    });
  };
  if (state_ == GroupState::dead) {
    return fail(GroupError::coordinator_not_available, "group " + id_ + " is being deleted");
  }
  if (!supports(params.protocol_type, params.protocols)) {
    return fail(GroupError::inconsistent_group_protocol,
                "group " + id_ + ": protocol type " + params.protocol_type +
                    " or its protocols do not match the group's");
  }
  if (params.member_id.empty()) {
    if (params.require_known_member_id) {
      pending_members_[new_member_id] = now + milliseconds(params.session_timeout_ms);
      params.member_id = new_member_id;
      return fail(GroupError::member_id_required, "");
    }
    return add_member(new_member_id, params, std::move(done), now, out);
  }
  if (pending_members_.erase(params.member_id) > 0) {
    const std::string id = params.member_id;
    return add_member(id, params, std::move(done), now, out);
  }
  auto it = members_.find(params.member_id);
  if (it == members_.end()) {
    return fail(GroupError::unknown_member_id,
                "group " + id_ + ": member " + params.member_id + " is unknown");
  }
  Member& member = it->second;
  switch (state_) {
    case GroupState::preparing_rebalance:
      update_member(member, params, std::move(done), out);
      return try_complete_join(now, out);
    case GroupState::completing_rebalance:
    case GroupState::stable: {
      const bool unchanged = same_protocols(member.protocols, params.protocols);
      const bool rebalance = !unchanged || (state_ == GroupState::stable &&
                                            member.member_id == leader_id_);
      if (!rebalance) {
        // The member missed our answer: give it the current generation again.
        member.session_deadline = now + milliseconds(member.session_timeout_ms);
        out.push_back([done = std::move(done), r = join_result(member)]() mutable {
          done(std::move(r));
        });
        return;
      }
      update_member(member, params, std::move(done), out);
      prepare_rebalance(now, out);
      return try_complete_join(now, out);
    }
    case GroupState::empty:
    case GroupState::dead:
      return fail(GroupError::unknown_member_id,
                  "group " + id_ + ": member " + params.member_id + " is unknown");
  }
}

void Group::add_member(const std::string& member_id, JoinGroupParams& params,
                       JoinGroupCallback done, Clock::time_point now, Completions& out) {
  Member m;
  m.member_id = member_id;
  m.group_instance_id = params.group_instance_id;
  m.client_id = std::move(params.client_id);
  m.client_host = std::move(params.client_host);
  m.session_timeout_ms = params.session_timeout_ms;
  m.rebalance_timeout_ms = params.rebalance_timeout_ms;
  m.protocols = std::move(params.protocols);
  m.awaiting_join = std::move(done);
  m.session_deadline = now + milliseconds(m.session_timeout_ms);
  if (members_.empty()) protocol_type_ = params.protocol_type;
  if (leader_id_.empty()) leader_id_ = member_id;
  members_.emplace(member_id, std::move(m));
  if (state_ != GroupState::preparing_rebalance) {
    prepare_rebalance(now, out);
  } else if (in_initial_delay_) {
    // Kafka's InitialDelayedJoin: each new member buys another delay, up to
    // the longest rebalance timeout.
    rebalance_deadline_ =
        std::min(now + milliseconds(options_.initial_rebalance_delay_ms),
                 rebalance_started_ + milliseconds(max_rebalance_timeout_ms()));
  }
  try_complete_join(now, out);
}

void Group::update_member(Member& member, JoinGroupParams& params, JoinGroupCallback done,
                          Completions& out) {
  if (member.awaiting_join) {
    out.push_back([old = std::move(member.awaiting_join), id = member.member_id] {
      old(join_error(GroupError::rebalance_in_progress, id, "replaced by a newer JoinGroup"));
    });
  }
  member.client_id = std::move(params.client_id);
  member.client_host = std::move(params.client_host);
  member.session_timeout_ms = params.session_timeout_ms;
  member.rebalance_timeout_ms = params.rebalance_timeout_ms;
  member.protocols = std::move(params.protocols);
  member.awaiting_join = std::move(done);
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

GroupDescription Group::describe() const {
  GroupDescription d;
  d.group_id = id_;
  d.state = state_;
  d.protocol_type = protocol_type_;
  if (state_ == GroupState::completing_rebalance || state_ == GroupState::stable) {
    d.protocol_name = protocol_name_;
  }
  d.generation_id = generation_id_;
  d.leader_id = leader_id_;
  for (const auto& [id, m] : members_) {
    GroupMemberDescription md;
    md.member_id = id;
    md.group_instance_id = m.group_instance_id;
    md.client_id = m.client_id;
    md.client_host = m.client_host;
    md.session_timeout_ms = m.session_timeout_ms;
    md.rebalance_timeout_ms = m.rebalance_timeout_ms;
    for (const auto& p : m.protocols) {
      if (p.name == protocol_name_) md.metadata = p.metadata;
    }
    md.assignment = m.assignment;
    d.members.push_back(std::move(md));
  }
  return d;
}

GroupListing Group::listing() const { return GroupListing{id_, state_, protocol_type_}; }

GroupMetadataRecord Group::to_record(const std::map<std::string, std::string>* assignments) const {
  GroupMetadataRecord r;
  r.generation_id = generation_id_;
  r.protocol_type = protocol_type_;
  r.protocol_name = protocol_name_;
  r.leader_id = leader_id_;
  for (const auto& [id, m] : members_) {
    GroupMetadataRecord::Member rm;
    rm.member_id = id;
    rm.client_id = m.client_id;
    rm.client_host = m.client_host;
    rm.session_timeout_ms = m.session_timeout_ms;
    rm.rebalance_timeout_ms = m.rebalance_timeout_ms;
    for (const auto& p : m.protocols) {
      if (p.name == protocol_name_) rm.subscription = p.metadata;
    }
    if (assignments) {
      auto a = assignments->find(id);
      if (a != assignments->end()) rm.assignment = a->second;
    } else {
      rm.assignment = m.assignment;
    }
    r.members.push_back(std::move(rm));
  }
  return r;
}

void Group::request_persist(bool completes_sync,
                            const std::map<std::string, std::string>* assignments) {
  persist_request_ =
      PersistRequest{encode_group_metadata(to_record(assignments)), generation_id_, completes_sync};
}

std::optional<Group::PersistRequest> Group::take_persist_request() {
  std::optional<PersistRequest> out = std::move(persist_request_);
  persist_request_.reset();
  return out;
}

}  // namespace strata::broker
