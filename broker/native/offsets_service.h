#pragma once

#include "broker/native/service_context.h"
#include "strata/v1/offsets_service.grpc.pb.h"

namespace strata::broker::native {

// strata.v1.OffsetsService over the OffsetsStore. Only "simple" commits
// (generation -1, empty member id) exist until group membership (issue #4);
// a member commit answers UNKNOWN_MEMBER. Work runs on the pool; commits
// answer once durable.
class OffsetsService final : public v1::OffsetsService::CallbackService {
 public:
  explicit OffsetsService(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerUnaryReactor* OffsetCommit(grpc::CallbackServerContext* call,
                                         const v1::OffsetCommitRequest* request,
                                         v1::OffsetCommitResponse* response) override;
  grpc::ServerUnaryReactor* OffsetFetch(grpc::CallbackServerContext* call,
                                        const v1::OffsetFetchRequest* request,
                                        v1::OffsetFetchResponse* response) override;
  grpc::ServerUnaryReactor* ResetOffsets(grpc::CallbackServerContext* call,
                                         const v1::ResetOffsetsRequest* request,
                                         v1::ResetOffsetsResponse* response) override;

 private:
  ServiceContext& ctx_;
};

}  // namespace strata::broker::native
