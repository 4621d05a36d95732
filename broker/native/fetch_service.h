#pragma once

#include "broker/native/service_context.h"
#include "strata/v1/fetch_service.grpc.pb.h"

namespace strata::broker::native {

// strata.v1.FetchService. Fetch is a long-poll FetchStream reactor per call
// (fetch_stream.cc): reads run on the pool, waits are partition change
// notifications plus a max_wait timer. ListOffsets answers on the pool.
class FetchService final : public v1::FetchService::CallbackService {
 public:
  explicit FetchService(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerWriteReactor<v1::FetchResponse>* Fetch(grpc::CallbackServerContext* call,
                                                     const v1::FetchRequest* request) override;
  grpc::ServerUnaryReactor* ListOffsets(grpc::CallbackServerContext* call,
                                        const v1::ListOffsetsRequest* request,
                                        v1::ListOffsetsResponse* response) override;

 private:
  ServiceContext& ctx_;
};

// Creates the reactor of one Fetch call (fetch_stream.cc).
grpc::ServerWriteReactor<v1::FetchResponse>* start_fetch_stream(ServiceContext& ctx,
                                                                const v1::FetchRequest& request);

}  // namespace strata::broker::native
