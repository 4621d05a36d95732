#include "broker/native/metadata_service.h"

#include "broker/native/error_mapping.h"
#include "broker/topic_manager.h"

namespace strata::broker::native {
namespace {

void describe(const Topic& topic, std::int32_t node_id, v1::TopicMetadata* out) {
  out->set_name(topic.name);
  out->set_is_internal(topic.is_internal);
  for (const auto& p : topic.partitions) {
    v1::PartitionMetadata* pm = out->add_partitions();
    pm->set_partition(p->topic_partition().partition.value());
    pm->set_leader_id(node_id);
    pm->set_leader_epoch(p->leader_epoch().value());
    pm->add_replicas(node_id);
    pm->add_isr(node_id);
  }
}

}  // namespace

grpc::ServerUnaryReactor* MetadataService::GetMetadata(grpc::CallbackServerContext* call,
                                                       const v1::MetadataRequest* request,
                                                       v1::MetadataResponse* response) {
  return run_unary(call, ctx_, "GetMetadata", ctx_.pool.get_executor(), [this, request, response] {
    const BrokerIdentity& id = ctx_.identity;
    response->set_cluster_id(id.cluster_id);
    response->set_controller_id(id.node_id);
    v1::Broker* broker = response->add_brokers();
    broker->set_node_id(id.node_id);
    const HostPort address = id.native_address();
    broker->set_host(address.host);
    broker->set_port(address.port);
    if (request->topics().empty()) {
      for (const auto& topic : ctx_.topics.list_topics()) {
        if (topic->is_internal && !request->include_internal()) continue;
        describe(*topic, id.node_id, response->add_topics());
      }
      return;
    }
    for (const std::string& name : request->topics()) {
      v1::TopicMetadata* out = response->add_topics();
      auto topic = ctx_.topics.find_topic(name);
      if (!topic.ok()) {
        out->set_name(name);
        Status valid = validate_topic_name(name);
        *out->mutable_error() = valid.ok() ? to_proto_error(topic.status(), ErrorSubject::topic)
                                           : to_proto_error(valid, ErrorSubject::topic_name);
        continue;
      }
      describe(**topic, id.node_id, out);
    }
  });
}

}  // namespace strata::broker::native
