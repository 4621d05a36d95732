#include "broker/native/admin_service.h"

#include "broker/logger.h"
#include "broker/native/error_mapping.h"
#include "broker/topic_manager.h"

namespace strata::broker::native {
namespace {

// Validates a CreateTopic request piece by piece, so each failure gets its
// own protocol code.
v1::Error check_create(const v1::CreateTopicRequest& request, const TopicDefaults& defaults) {
  Status name = validate_topic_name(request.name());
  if (name.ok() && is_internal_topic_name(request.name())) {
    name = invalid_argument_error("topic name '" + request.name() +
                                  "' starts with '__', which is reserved for internal topics");
  }
  if (!name.ok()) return to_proto_error(name, ErrorSubject::topic_name);
  const std::int32_t partitions = request.partitions();
  if (partitions < 0 || partitions > kMaxPartitionsPerTopic) {
    return to_proto_error(invalid_argument_error("partition count " + std::to_string(partitions) +
                                                 " is outside [1, " +
                                                 std::to_string(kMaxPartitionsPerTopic) + "]"),
                          ErrorSubject::partition_count);
  }
  if (request.replication_factor() < 0 || request.replication_factor() > 1) {
    v1::Error error;
    error.set_code(v1::INVALID_REPLICATION_FACTOR);
    error.set_message("replication factor " + std::to_string(request.replication_factor()) +
                      " is more than the 1 live broker");
    return error;
  }
  std::map<std::string, std::string> configs(request.configs().begin(), request.configs().end());
  Result<TopicConfig> config = TopicConfig::make(std::move(configs), defaults);
  if (!config.ok()) return to_proto_error(config.status(), ErrorSubject::topic_config);
  return v1::Error();
}

void describe_partition(const Partition& p, std::int32_t node_id, v1::PartitionDescription* out) {
  out->set_partition(p.topic_partition().partition.value());
  out->set_leader_id(node_id);
  out->set_leader_epoch(p.leader_epoch().value());
  out->add_replicas(node_id);
  out->add_isr(node_id);
  out->set_log_start_offset(p.log_start_offset().value());
  out->set_log_end_offset(p.log_end_offset().value());
  out->set_high_watermark(p.high_watermark().value());
  out->set_size_bytes(static_cast<std::int64_t>(p.size_bytes()));
  out->set_write_state(to_proto(p.write_state()));
  if (Status why = p.write_error(); !why.ok()) {
    *out->mutable_write_error() = to_proto_error(why, ErrorSubject::partition);
  }
}

}  // namespace

grpc::ServerUnaryReactor* AdminService::CreateTopic(grpc::CallbackServerContext* call,
                                                    const v1::CreateTopicRequest* request,
                                                    v1::CreateTopicResponse* response) {
  return run_unary(call, ctx_, "CreateTopic", ctx_.topics.admin_executor(), [this, request, response] {
    v1::Error error = check_create(*request, ctx_.topics.defaults());
    if (error.code() != v1::NONE) {
      logger()->info("CreateTopic {}: refused: {}", request->name(), error.message());
      *response->mutable_error() = error;
      return;
    }
    const std::int32_t partitions =
        request->partitions() == 0 ? ctx_.topics.defaults().partitions : request->partitions();
    Status st = ctx_.topics.create_topic(
        request->name(), partitions,
        std::map<std::string, std::string>(request->configs().begin(), request->configs().end()));
    if (!st.ok()) {
      logger()->info("CreateTopic {}: {}", request->name(), st.to_string());
      *response->mutable_error() = to_proto_error(st, ErrorSubject::topic);
    }
  });
}

grpc::ServerUnaryReactor* AdminService::DeleteTopic(grpc::CallbackServerContext* call,
                                                    const v1::DeleteTopicRequest* request,
                                                    v1::DeleteTopicResponse* response) {
  return run_unary(call, ctx_, "DeleteTopic", ctx_.topics.admin_executor(), [this, request, response] {
    Status st = ctx_.topics.delete_topic(request->name());
    if (!st.ok()) {
      logger()->info("DeleteTopic {}: {}", request->name(), st.to_string());
      *response->mutable_error() = to_proto_error(st, ErrorSubject::topic);
    }
  });
}

grpc::ServerUnaryReactor* AdminService::ListTopics(grpc::CallbackServerContext* call,
                                                   const v1::ListTopicsRequest* request,
                                                   v1::ListTopicsResponse* response) {
  return run_unary(call, ctx_, "ListTopics", ctx_.pool.get_executor(), [this, request, response] {
    for (const auto& topic : ctx_.topics.list_topics()) {
      if (topic->is_internal && !request->include_internal()) continue;
      v1::TopicListing* listing = response->add_topics();
      listing->set_name(topic->name);
      listing->set_partitions(static_cast<std::int32_t>(topic->partitions.size()));
      listing->set_replication_factor(1);
      listing->set_is_internal(topic->is_internal);
    }
  });
}

grpc::ServerUnaryReactor* AdminService::DescribeTopic(grpc::CallbackServerContext* call,
                                                      const v1::DescribeTopicRequest* request,
                                                      v1::DescribeTopicResponse* response) {
  return run_unary(call, ctx_, "DescribeTopic", ctx_.pool.get_executor(), [this, request, response] {
    auto topic = ctx_.topics.find_topic(request->name());
    if (!topic.ok()) {
      *response->mutable_error() = to_proto_error(topic.status(), ErrorSubject::topic);
      return;
    }
    response->set_name((*topic)->name);
    response->set_is_internal((*topic)->is_internal);
    for (const auto& p : (*topic)->partitions) {
      describe_partition(*p, ctx_.identity.node_id, response->add_partitions());
    }
    for (const TopicConfigEntry& entry : (*topic)->config.effective()) {
      v1::TopicConfig* config = response->add_configs();
      config->set_name(entry.name);
      config->set_value(entry.value);
      config->set_is_default(entry.is_default);
    }
  });
}

grpc::ServerUnaryReactor* AdminService::AddPartitions(grpc::CallbackServerContext* call,
                                                      const v1::AddPartitionsRequest* request,
                                                      v1::AddPartitionsResponse* response) {
  return run_unary(call, ctx_, "AddPartitions", ctx_.topics.admin_executor(), [this, request, response] {
    Status st = ctx_.topics.add_partitions(request->name(), request->total_partitions());
    if (!st.ok()) {
      logger()->info("AddPartitions {}: {}", request->name(), st.to_string());
      *response->mutable_error() = to_proto_error(
          st, st.code() == ErrorCode::invalid_argument ? ErrorSubject::partition_count
                                                       : ErrorSubject::topic);
    }
  });
}

grpc::ServerUnaryReactor* AdminService::AlterTopicConfigs(
    grpc::CallbackServerContext* call, const v1::AlterTopicConfigsRequest* request,
    v1::AlterTopicConfigsResponse* response) {
  return run_unary(call, ctx_, "AlterTopicConfigs", ctx_.pool.get_executor(), [request, response] {
    *response->mutable_error() = to_proto_error(
        unsupported_error("topic " + request->name() + ": AlterTopicConfigs is not supported yet"));
  });
}

grpc::ServerUnaryReactor* AdminService::BrokerInfo(grpc::CallbackServerContext* call,
                                                   const v1::BrokerInfoRequest* /*request*/,
                                                   v1::BrokerInfoResponse* response) {
  return run_unary(call, ctx_, "BrokerInfo", ctx_.pool.get_executor(), [this, response] {
    const BrokerIdentity& id = ctx_.identity;
    response->set_node_id(id.node_id);
    response->set_cluster_id(id.cluster_id);
    response->set_version(STRATA_VERSION);
    auto add_listener = [&](const char* protocol, const HostPort& address) {
      v1::Listener* l = response->add_listeners();
      l->set_protocol(protocol);
      l->set_host(address.host);
      l->set_port(address.port);
    };
    add_listener("native", id.native_address());
    add_listener("http", id.http_address());
    response->set_uptime_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - id.started_at)
                                .count());
    response->add_data_dirs(id.data_dir);
    response->set_controller_id(id.node_id);
  });
}

}  // namespace strata::broker::native
