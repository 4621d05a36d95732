// Metadata (key 3): this one broker, and every topic or the named ones. A
// named topic that does not exist is created first when the broker allows
// auto-creation and the request does too (v4+; older versions leave it to
// the broker); otherwise it is answered UNKNOWN_TOPIC_OR_PARTITION.
#include <memory>
#include <string>
#include <vector>

#include <asio/post.hpp>

#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/logger.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {
namespace {

using namespace ::strata::kafka;

MetadataResponse::Topic describe_topic(const Topic& topic, std::int32_t node_id) {
  MetadataResponse::Topic out;
  out.name = topic.name;
  out.is_internal = topic.is_internal;
  for (std::size_t i = 0; i < topic.partitions.size(); ++i) {
    MetadataResponse::Topic::Partition p;
    p.partition_index = static_cast<std::int32_t>(i);
    p.leader_id = node_id;
    p.leader_epoch = topic.partitions[i]->leader_epoch().value();
    p.replica_nodes = {node_id};
    p.isr_nodes = {node_id};
    out.partitions.push_back(std::move(p));
  }
  return out;
}

MetadataResponse::Topic missing_topic(const std::string& name, const Status& st) {
  MetadataResponse::Topic out;
  out.name = name;
  out.error_code = kafka_error_code(st, KafkaSubject::topic);
  return out;
}

void answer(HandlerContext& ctx, const RequestContext& request, const MetadataRequest& body) {
  MetadataResponse response;
  const KafkaIdentity& id = ctx.identity;
  response.brokers.push_back(
      MetadataResponse::Broker{id.node_id, id.advertised.host, id.advertised.port, std::nullopt});
  response.cluster_id = id.cluster_id;
  response.controller_id = id.node_id;
  const bool all = !body.topics || (request.header.api_version == 0 && body.topics->empty());
  if (all) {
    for (const auto& topic : ctx.topics.list_topics()) {
      response.topics.push_back(describe_topic(*topic, id.node_id));
    }
  } else {
    for (const MetadataRequest::Topic& t : *body.topics) {
      Status name_ok = validate_topic_name(t.name);
      if (!name_ok.ok()) {
        response.topics.push_back(missing_topic(t.name, name_ok));
        continue;
      }
      auto topic = ctx.topics.find_topic(t.name);
      response.topics.push_back(topic.ok() ? describe_topic(**topic, id.node_id)
                                           : missing_topic(t.name, topic.status()));
    }
  }
  send_response(request, response);
}

}  // namespace

void handle_metadata(HandlerContext& ctx, RequestContext request, MetadataRequest body) {
  std::vector<std::string> to_create;
  const bool may_create = ctx.auto_create_topics &&
                          (request.header.api_version < 4 || body.allow_auto_topic_creation);
  if (may_create && body.topics) {
    for (const MetadataRequest::Topic& t : *body.topics) {
      if (validate_topic_name(t.name).ok() && !is_internal_topic_name(t.name) &&
          !ctx.topics.find_topic(t.name).ok()) {
        to_create.push_back(t.name);
      }
    }
  }
  if (to_create.empty()) return answer(ctx, request, body);
  asio::post(ctx.topics.admin_executor(), [&ctx, request = std::move(request),
                                           body = std::move(body),
                                           to_create = std::move(to_create)] {
    for (const std::string& name : to_create) {
      Status st = ctx.topics.create_topic(name, ctx.topics.defaults().partitions, {});
      if (st.ok()) {
        logger()->info("kafka: auto-created topic {}", name);
      } else if (st.code() != ErrorCode::already_exists) {
        logger()->info("kafka: auto-create {}: {}", name, st.to_string());
      }
    }
    answer(ctx, request, body);
  });
}

}  // namespace strata::broker::kafka
