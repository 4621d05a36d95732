#pragma once

#include "broker/native/service_context.h"
#include "strata/v1/metadata_service.grpc.pb.h"

namespace strata::broker::native {

// strata.v1.MetadataService on a standalone node: one broker, which leads
// every partition at epoch 0. Answers on the pool.
class MetadataService final : public v1::MetadataService::CallbackService {
 public:
  explicit MetadataService(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerUnaryReactor* GetMetadata(grpc::CallbackServerContext* call,
                                        const v1::MetadataRequest* request,
                                        v1::MetadataResponse* response) override;

 private:
  ServiceContext& ctx_;
};

}  // namespace strata::broker::native
