#pragma once

#include "broker/native/service_context.h"
#include "strata/v1/produce_service.grpc.pb.h"

namespace strata::broker::native {

// strata.v1.ProduceService. Produce is a ProduceStream reactor per call
// (produce_service.cc), its batches checked by check_produce
// (broker/produce_validation.h); InitProducerId hands out a fresh id with
// epoch 0 from the ProducerIdAllocator the Kafka listener uses too.
class ProduceService final : public v1::ProduceService::CallbackService {
 public:
  explicit ProduceService(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerBidiReactor<v1::ProduceRequest, v1::ProduceResponse>* Produce(
      grpc::CallbackServerContext* call) override;
  grpc::ServerUnaryReactor* InitProducerId(grpc::CallbackServerContext* call,
                                           const v1::InitProducerIdRequest* request,
                                           v1::InitProducerIdResponse* response) override;

 private:
  ServiceContext& ctx_;
};

}  // namespace strata::broker::native
