#include "broker/native/group_service.h"


#include "broker/group/offsets_store.h"
#include "broker/native/error_mapping.h"

namespace strata::broker::native {
namespace {

Status membership_unsupported(const std::string& what) {
  return unsupported_error(what + ": group membership is not supported yet (issue #4)");
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
    b->set_host(ctx_.identity.native_address.host);
    b->set_port(ctx_.identity.native_address.port);
  });
}

grpc::ServerUnaryReactor* GroupService::JoinGroup(grpc::CallbackServerContext* call,
                                                  const v1::JoinGroupRequest* request,
                                                  v1::JoinGroupResponse* response) {
  return run_unary(call, ctx_, "JoinGroup", ctx_.pool.get_executor(), [request, response] {
    *response->mutable_error() = to_proto_error(membership_unsupported("JoinGroup " + request->group_id()));
    response->set_generation_id(-1);
  });
}

grpc::ServerUnaryReactor* GroupService::SyncGroup(grpc::CallbackServerContext* call,
                                                  const v1::SyncGroupRequest* request,
                                                  v1::SyncGroupResponse* response) {
  return run_unary(call, ctx_, "SyncGroup", ctx_.pool.get_executor(), [request, response] {
    *response->mutable_error() = to_proto_error(membership_unsupported("SyncGroup " + request->group_id()));
  });
}

grpc::ServerUnaryReactor* GroupService::Heartbeat(grpc::CallbackServerContext* call,
                                                  const v1::HeartbeatRequest* request,
                                                  v1::HeartbeatResponse* response) {
  return run_unary(call, ctx_, "Heartbeat", ctx_.pool.get_executor(), [request, response] {
    *response->mutable_error() = to_proto_error(membership_unsupported("Heartbeat " + request->group_id()));
  });
}

grpc::ServerUnaryReactor* GroupService::LeaveGroup(grpc::CallbackServerContext* call,
                                                   const v1::LeaveGroupRequest* request,
                                                   v1::LeaveGroupResponse* response) {
  return run_unary(call, ctx_, "LeaveGroup", ctx_.pool.get_executor(), [request, response] {
    *response->mutable_error() = to_proto_error(membership_unsupported("LeaveGroup " + request->group_id()));
  });
}

grpc::ServerUnaryReactor* GroupService::ListGroups(grpc::CallbackServerContext* call,
                                                   const v1::ListGroupsRequest* request,
                                                   v1::ListGroupsResponse* response) {
  return run_unary(call, ctx_, "ListGroups", ctx_.pool.get_executor(), [this, request, response] {
    bool want_empty = request->states().empty();
    for (int state : request->states()) want_empty |= state == v1::GROUP_STATE_EMPTY;
    if (!want_empty) return;
    auto groups = ctx_.offsets.list_groups();
    if (!groups.ok()) {
      *response->mutable_error() = to_proto_error(groups.status(), ErrorSubject::group);
      return;
    }
    for (const std::string& id : *groups) {
      v1::GroupListing* g = response->add_groups();
      g->set_group_id(id);
      g->set_state(v1::GROUP_STATE_EMPTY);
    }
  });
}

grpc::ServerUnaryReactor* GroupService::DescribeGroup(grpc::CallbackServerContext* call,
                                                      const v1::DescribeGroupRequest* request,
                                                      v1::DescribeGroupResponse* response) {
  return run_unary(call, ctx_, "DescribeGroup", ctx_.pool.get_executor(), [this, request, response] {
    response->set_group_id(request->group_id());
    response->set_generation_id(-1);
    Status valid = validate_group_id(request->group_id());
    if (!valid.ok()) {
      *response->mutable_error() = to_proto_error(valid, ErrorSubject::group);
      return;
    }
    auto offsets = ctx_.offsets.fetch_all(request->group_id());
    if (!offsets.ok() || offsets->empty()) {
      *response->mutable_error() = to_proto_error(
          offsets.ok() ? not_found_error("group " + request->group_id() + " does not exist")
                       : offsets.status(),
          ErrorSubject::group);
      return;
    }
    response->set_state(v1::GROUP_STATE_EMPTY);
  });
}

grpc::ServerUnaryReactor* GroupService::DeleteGroup(grpc::CallbackServerContext* call,
                                                    const v1::DeleteGroupRequest* request,
                                                    v1::DeleteGroupResponse* response) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  const auto start = std::chrono::steady_clock::now();
  auto finish = [this, reactor, start] {
    ctx_.probe.observe_request("DeleteGroup", std::chrono::duration<double>(
                                                  std::chrono::steady_clock::now() - start)
                                                  .count());
    reactor->Finish(grpc::Status::OK);
  };
  asio::post(ctx_.pool, [this, request, response, finish] {
    Status valid = validate_group_id(request->group_id());
    auto offsets = valid.ok() ? ctx_.offsets.fetch_all(request->group_id())
                              : Result<std::vector<std::pair<TopicPartition, CommittedOffset>>>(valid);
    if (!offsets.ok() || offsets->empty()) {
      *response->mutable_error() = to_proto_error(
          offsets.ok() ? not_found_error("group " + request->group_id() + " does not exist")
                       : offsets.status(),
          ErrorSubject::group);
      return finish();
    }
    std::vector<OffsetEntry> tombstones;
    for (const auto& [tp, committed] : *offsets) tombstones.push_back({tp, std::nullopt});
    ctx_.offsets.commit(request->group_id(), std::move(tombstones), [response, finish](Status st) {
      if (!st.ok()) *response->mutable_error() = to_proto_error(st, ErrorSubject::group);
      finish();
    });
  });
  return reactor;
}

}  // namespace strata::broker::native
