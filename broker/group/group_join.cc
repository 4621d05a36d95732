// Group: JoinGroup — protocol checks, new and returning members.
#include "broker/group/group.h"

#include <algorithm>
#include <chrono>

#include "broker/group/group_internal.h"

namespace strata::broker {

using group_internal::join_error;
using group_internal::offers;
using std::chrono::milliseconds;

namespace {

bool same_protocols(const std::vector<GroupProtocolMetadata>& a,
                    const std::vector<GroupProtocolMetadata>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.name == y.name && x.metadata == y.metadata;
  });
}

}  // namespace

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
  update_member(m, params, std::move(done), out);  // a new member answers nothing here
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

}  // namespace strata::broker
