#pragma once

#include "broker/native/service_context.h"
#include "strata/v1/group_service.grpc.pb.h"

namespace strata::broker::native {

// strata.v1.GroupService: FindCoordinator names this broker (standalone);
// every other RPC is a thin adapter over the GroupCoordinator. JoinGroup and
// SyncGroup finish when the coordinator answers (when the rebalance
// completes); no gRPC thread waits. Called on gRPC callback threads.
class GroupService final : public v1::GroupService::CallbackService {
 public:
  explicit GroupService(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerUnaryReactor* FindCoordinator(grpc::CallbackServerContext* call,
                                            const v1::FindCoordinatorRequest* request,
                                            v1::FindCoordinatorResponse* response) override;
  grpc::ServerUnaryReactor* JoinGroup(grpc::CallbackServerContext* call,
                                      const v1::JoinGroupRequest* request,
                                      v1::JoinGroupResponse* response) override;
  grpc::ServerUnaryReactor* SyncGroup(grpc::CallbackServerContext* call,
                                      const v1::SyncGroupRequest* request,
                                      v1::SyncGroupResponse* response) override;
  grpc::ServerUnaryReactor* Heartbeat(grpc::CallbackServerContext* call,
                                      const v1::HeartbeatRequest* request,
                                      v1::HeartbeatResponse* response) override;
  grpc::ServerUnaryReactor* LeaveGroup(grpc::CallbackServerContext* call,
                                       const v1::LeaveGroupRequest* request,
                                       v1::LeaveGroupResponse* response) override;
  grpc::ServerUnaryReactor* ListGroups(grpc::CallbackServerContext* call,
                                       const v1::ListGroupsRequest* request,
                                       v1::ListGroupsResponse* response) override;
  grpc::ServerUnaryReactor* DescribeGroup(grpc::CallbackServerContext* call,
                                          const v1::DescribeGroupRequest* request,
                                          v1::DescribeGroupResponse* response) override;
  grpc::ServerUnaryReactor* DeleteGroup(grpc::CallbackServerContext* call,
                                        const v1::DeleteGroupRequest* request,
                                        v1::DeleteGroupResponse* response) override;

 private:
  ServiceContext& ctx_;
};

}  // namespace strata::broker::native
