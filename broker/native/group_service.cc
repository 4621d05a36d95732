#include "broker/native/group_service.h"

#include "broker/group/group_coordinator.h"
#include "broker/group/offsets_store.h"
#include "broker/native/error_mapping.h"

namespace strata::broker::native {
namespace {

constexpr std::int32_t kDefaultSessionTimeoutMs = 45000;
constexpr std::int32_t kDefaultRebalanceTimeoutMs = 300000;

// Finishes a unary call answered later by the coordinator, recording its
// latency.
std::function<void()> finisher(ServiceContext& ctx, grpc::ServerUnaryReactor* reactor,
                               std::string_view api) {
  const auto start = std::chrono::steady_clock::now();
  return [&ctx, reactor, api, start] {
    ctx.probe.observe_request(
        api, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    reactor->Finish(grpc::Status::OK);
  };
}

v1::GroupState to_proto(GroupState state) {
  switch (state) {
    case GroupState::empty: return v1::GROUP_STATE_EMPTY;
    case GroupState::preparing_rebalance: return v1::GROUP_STATE_PREPARING_REBALANCE;
    case GroupState::completing_rebalance: return v1::GROUP_STATE_COMPLETING_REBALANCE;
    case GroupState::stable: return v1::GROUP_STATE_STABLE;
    case GroupState::dead: return v1::GROUP_STATE_DEAD;
  }
  return v1::GROUP_STATE_UNSPECIFIED;
}

std::optional<GroupState> from_proto(int state) {
  switch (state) {
    case v1::GROUP_STATE_EMPTY: return GroupState::empty;
    case v1::GROUP_STATE_PREPARING_REBALANCE: return GroupState::preparing_rebalance;
    case v1::GROUP_STATE_COMPLETING_REBALANCE: return GroupState::completing_rebalance;
    case v1::GROUP_STATE_STABLE: return GroupState::stable;
    case v1::GROUP_STATE_DEAD: return GroupState::dead;
    default: return std::nullopt;
  }
}

}  // namespace

grpc::ServerUnaryReactor* GroupService::FindCoordinator(grpc::CallbackServerContext* call,
                                                        const v1::FindCoordinatorRequest* request,
                                                        v1::FindCoordinatorResponse* response) {
  return run_unary(call, ctx_, "FindCoordinator", ctx_.pool.get_executor(), [this, request, response] {
    Status valid = validate_group_id(request->group_id());
    if (!valid.ok()) {
      *response->mutable_error() = to_proto_error(valid, ErrorSubject::group);
      return;
    }
    v1::Broker* b = response->mutable_coordinator();
    b->set_node_id(ctx_.identity.node_id);
    const HostPort address = ctx_.identity.native_address();
    b->set_host(address.host);
    b->set_port(address.port);
  });
}

grpc::ServerUnaryReactor* GroupService::JoinGroup(grpc::CallbackServerContext* call,
                                                  const v1::JoinGroupRequest* request,
                                                  v1::JoinGroupResponse* response) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  auto finish = finisher(ctx_, reactor, "JoinGroup");
  JoinGroupParams params;
  params.group_id = request->group_id();
  params.member_id = request->member_id();
  params.client_id = request->client_id();
  params.client_host = call->peer();
  params.session_timeout_ms =
      request->session_timeout_ms() == 0 ? kDefaultSessionTimeoutMs : request->session_timeout_ms();
  params.rebalance_timeout_ms = request->rebalance_timeout_ms() == 0
                                    ? kDefaultRebalanceTimeoutMs
                                    : request->rebalance_timeout_ms();
  params.protocol_type = request->protocol_type();
  for (const v1::GroupProtocol& p : request->protocols()) {
    params.protocols.push_back({p.name(), p.metadata()});
  }
  ctx_.groups.join(std::move(params), [response, finish](JoinGroupResult r) {
    *response->mutable_error() = to_proto_error(r.status);
    response->set_generation_id(r.status.ok() ? r.generation_id : -1);
    response->set_protocol_name(r.protocol_name);
    response->set_leader_id(r.leader_id);
    response->set_member_id(r.member_id);
    for (JoinedMember& m : r.members) {
      v1::JoinGroupMember* out = response->add_members();
      out->set_member_id(std::move(m.member_id));
      out->set_metadata(std::move(m.metadata));
    }
    finish();
  });
  return reactor;
}

grpc::ServerUnaryReactor* GroupService::SyncGroup(grpc::CallbackServerContext* call,
                                                  const v1::SyncGroupRequest* request,
                                                  v1::SyncGroupResponse* response) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  auto finish = finisher(ctx_, reactor, "SyncGroup");
  SyncGroupParams params;
  params.group_id = request->group_id();
  params.generation_id = request->generation_id();
  params.member_id = request->member_id();
  for (const v1::MemberAssignment& a : request->assignments()) {
    params.assignments.emplace_back(a.member_id(), a.assignment());
  }
  ctx_.groups.sync(std::move(params), [response, finish](SyncGroupResult r) {
    *response->mutable_error() = to_proto_error(r.status);
    response->set_assignment(std::move(r.assignment));
    finish();
  });
  return reactor;
}

grpc::ServerUnaryReactor* GroupService::Heartbeat(grpc::CallbackServerContext* call,
                                                  const v1::HeartbeatRequest* request,
                                                  v1::HeartbeatResponse* response) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  auto finish = finisher(ctx_, reactor, "Heartbeat");
  ctx_.groups.heartbeat({request->group_id(), request->generation_id(), request->member_id()},
                        [response, finish](GroupStatus st) {
                          *response->mutable_error() = to_proto_error(st);
                          finish();
                        });
  return reactor;
}

grpc::ServerUnaryReactor* GroupService::LeaveGroup(grpc::CallbackServerContext* call,
                                                   const v1::LeaveGroupRequest* request,
                                                   v1::LeaveGroupResponse* response) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  auto finish = finisher(ctx_, reactor, "LeaveGroup");
  ctx_.groups.leave({request->group_id(), {request->member_id()}},
                    [response, finish](LeaveGroupResult r) {
                      GroupStatus st = r.status;
                      if (st.ok() && !r.members.empty() && r.members[0].second != GroupError::none) {
                        st = GroupStatus{r.members[0].second, "member " + r.members[0].first +
                                                                  " is not in the group"};
                      }
                      *response->mutable_error() = to_proto_error(st);
                      finish();
                    });
  return reactor;
}

grpc::ServerUnaryReactor* GroupService::ListGroups(grpc::CallbackServerContext* call,
                                                   const v1::ListGroupsRequest* request,
                                                   v1::ListGroupsResponse* response) {
  return run_unary(call, ctx_, "ListGroups", ctx_.pool.get_executor(), [this, request, response] {
    std::vector<GroupState> states;
    for (int state : request->states()) {
      if (auto s = from_proto(state)) states.push_back(*s);
    }
    if (!request->states().empty() && states.empty()) return;
    for (const GroupListing& l : ctx_.groups.list(states)) {
      v1::GroupListing* g = response->add_groups();
      g->set_group_id(l.group_id);
      g->set_state(to_proto(l.state));
      g->set_protocol_type(l.protocol_type);
    }
  });
}

grpc::ServerUnaryReactor* GroupService::DescribeGroup(grpc::CallbackServerContext* call,
                                                      const v1::DescribeGroupRequest* request,
                                                      v1::DescribeGroupResponse* response) {
  return run_unary(call, ctx_, "DescribeGroup", ctx_.pool.get_executor(), [this, request, response] {
    GroupDescription d = ctx_.groups.describe(request->group_id());
    response->set_group_id(request->group_id());
    response->set_generation_id(d.status.ok() ? d.generation_id : -1);
    if (!d.status.ok()) {
      *response->mutable_error() = to_proto_error(d.status);
      return;
    }
    response->set_state(to_proto(d.state));
    response->set_protocol_type(d.protocol_type);
    response->set_protocol_name(d.protocol_name);
    response->set_leader_id(d.leader_id);
    for (GroupMemberDescription& m : d.members) {
      v1::GroupMember* out = response->add_members();
      out->set_member_id(std::move(m.member_id));
      out->set_client_id(std::move(m.client_id));
      out->set_client_host(std::move(m.client_host));
      out->set_metadata(std::move(m.metadata));
      out->set_assignment(std::move(m.assignment));
    }
  });
}

grpc::ServerUnaryReactor* GroupService::DeleteGroup(grpc::CallbackServerContext* call,
                                                    const v1::DeleteGroupRequest* request,
                                                    v1::DeleteGroupResponse* response) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  auto finish = finisher(ctx_, reactor, "DeleteGroup");
  ctx_.groups.delete_group(request->group_id(), [response, finish](GroupStatus st) {
    *response->mutable_error() = to_proto_error(st);
    finish();
  });
  return reactor;
}

}  // namespace strata::broker::native
