#pragma once

#include "broker/native/service_context.h"
#include "strata/v1/admin_service.grpc.pb.h"

namespace strata::broker::native {

// strata.v1.AdminService on a standalone node. Mutations run one at a time
// on the TopicManager's admin executor; reads on the pool. Never blocks a
// gRPC thread. AlterTopicConfigs answers UNSUPPORTED for now.
class AdminService final : public v1::AdminService::CallbackService {
 public:
  explicit AdminService(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerUnaryReactor* CreateTopic(grpc::CallbackServerContext* call,
                                        const v1::CreateTopicRequest* request,
                                        v1::CreateTopicResponse* response) override;
  grpc::ServerUnaryReactor* DeleteTopic(grpc::CallbackServerContext* call,
                                        const v1::DeleteTopicRequest* request,
                                        v1::DeleteTopicResponse* response) override;
  grpc::ServerUnaryReactor* ListTopics(grpc::CallbackServerContext* call,
                                       const v1::ListTopicsRequest* request,
                                       v1::ListTopicsResponse* response) override;
  grpc::ServerUnaryReactor* DescribeTopic(grpc::CallbackServerContext* call,
                                          const v1::DescribeTopicRequest* request,
                                          v1::DescribeTopicResponse* response) override;
  grpc::ServerUnaryReactor* AddPartitions(grpc::CallbackServerContext* call,
                                          const v1::AddPartitionsRequest* request,
                                          v1::AddPartitionsResponse* response) override;
  grpc::ServerUnaryReactor* AlterTopicConfigs(grpc::CallbackServerContext* call,
                                              const v1::AlterTopicConfigsRequest* request,
                                              v1::AlterTopicConfigsResponse* response) override;
  grpc::ServerUnaryReactor* BrokerInfo(grpc::CallbackServerContext* call,
                                       const v1::BrokerInfoRequest* request,
                                       v1::BrokerInfoResponse* response) override;

 private:
  ServiceContext& ctx_;
};

}  // namespace strata::broker::native
