#include "broker/native/fetch_service.h"

#include "broker/native/error_mapping.h"
#include "broker/topic_manager.h"

namespace strata::broker::native {

grpc::ServerWriteReactor<v1::FetchResponse>* FetchService::Fetch(grpc::CallbackServerContext* /*call*/,
                                                                 const v1::FetchRequest* request) {
  return start_fetch_stream(ctx_, *request);
}

grpc::ServerUnaryReactor* FetchService::ListOffsets(grpc::CallbackServerContext* call,
                                                    const v1::ListOffsetsRequest* request,
                                                    v1::ListOffsetsResponse* response) {
  return run_unary(call, ctx_, "ListOffsets", ctx_.pool.get_executor(), [this, request, response] {
    auto topic = ctx_.topics.find_topic(request->topic());
    for (const v1::ListOffsetsPartition& lp : request->partitions()) {
      v1::ListedOffset* out = response->add_partitions();
      out->set_partition(lp.partition());
      out->set_offset(-1);
      out->set_timestamp_ms(-1);
      v1::ResponseHeader* header = out->mutable_header();
      header->set_leader_id(-1);
      header->set_leader_epoch(-1);
      if (!topic.ok()) {
        *header->mutable_error() = to_proto_error(topic.status(), ErrorSubject::topic);
        continue;
      }
      auto partition = (*topic)->find_partition(lp.partition());
      if (!partition.ok()) {
        *header->mutable_error() = to_proto_error(partition.status(), ErrorSubject::partition);
        continue;
      }
      const Partition& p = **partition;
      header->set_leader_id(ctx_.identity.node_id);
      header->set_leader_epoch(p.leader_epoch().value());
      switch (lp.spec()) {
        case v1::OFFSET_SPEC_EARLIEST:
          out->set_offset(p.log_start_offset().value());
          break;
        case v1::OFFSET_SPEC_LATEST:
          out->set_offset(p.high_watermark().value());
          break;
        case v1::OFFSET_SPEC_TIMESTAMP: {
          auto found = p.offset_for_timestamp(lp.timestamp_ms());
          if (!found.ok()) {
            *header->mutable_error() = to_proto_error(found.status(), ErrorSubject::partition);
          } else if (*found && (*found)->offset < p.high_watermark()) {
            out->set_offset((*found)->offset.value());
            out->set_timestamp_ms((*found)->timestamp);
          } else {
            out->set_offset(p.high_watermark().value());
          }
          break;
        }
        default:
          *header->mutable_error() =
              to_proto_error(invalid_argument_error(p.name() + ": offset spec is not set"));
      }
    }
  });
}

}  // namespace strata::broker::native
