// Group: construction, restore, the views (describe, listing) and the
// persisted form (the metadata record). The state machine itself is in
// group_join.cc, group_rebalance.cc, group_sync.cc and group_liveness.cc.
#include "broker/group/group.h"

namespace strata::broker {

Group::Group(std::string id, const GroupCoordinatorOptions& options)
    : id_(std::move(id)), options_(options) {}

void Group::restore(const GroupMetadataRecord& record) {
  state_ = GroupState::empty;
  generation_id_ = record.generation_id;
  protocol_type_ = record.protocol_type;
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
