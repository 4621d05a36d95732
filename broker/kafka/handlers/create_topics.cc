// CreateTopics (key 19), v2-4: creates topics on the admin executor, one at
// a time. Replication factor -1 or 1 (one broker); explicit assignments must
// name only this broker. validate_only checks without creating.
#include <asio/post.hpp>
#include <map>

#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/logger.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {
namespace {

using namespace ::strata::kafka;
using Topic = CreateTopicsRequest::Topic;

// The checks before create_topic, each failure with its own Kafka code.
std::pair<Status, KafkaSubject> check(const Topic& t, std::int32_t node_id,
                                      const TopicDefaults& defaults, std::int32_t& partitions,
                                      std::map<std::string, std::string>& configs,
                                      std::int16_t& special_code) {
  Status name = validate_topic_name(t.name);
  if (name.ok() && is_internal_topic_name(t.name)) {
    name = invalid_argument_error("topic name '" + t.name + "' starts with '__', which is "
                                  "reserved for internal topics");
  }
  if (!name.ok()) return {name, KafkaSubject::topic_name};
  partitions = t.num_partitions == -1 ? defaults.partitions : t.num_partitions;
  if (!t.assignments.empty()) {
    if (t.num_partitions != -1 || t.replication_factor != -1) {
      return {invalid_argument_error("give either assignments or counts, not both"),
              KafkaSubject::none};
    }
    for (const auto& a : t.assignments) {
      if (a.broker_ids.size() != 1 || a.broker_ids[0] != node_id) {
        special_code = to_int(KafkaError::invalid_replication_factor);
        return {invalid_argument_error("assignments may name only broker " +
                                       std::to_string(node_id)),
                KafkaSubject::none};
      }
    }
    partitions = static_cast<std::int32_t>(t.assignments.size());
  }
  if (partitions < 1 || partitions > kMaxPartitionsPerTopic) {
    return {invalid_argument_error("partition count " + std::to_string(partitions) +
                                   " is outside [1, " + std::to_string(kMaxPartitionsPerTopic) +
                                   "]"),
            KafkaSubject::partition_count};
  }
  if (t.replication_factor != -1 && t.replication_factor != 1) {
    special_code = to_int(KafkaError::invalid_replication_factor);
    return {invalid_argument_error("replication factor " + std::to_string(t.replication_factor) +
                                   " is more than the 1 live broker"),
            KafkaSubject::none};
  }
  for (const auto& c : t.configs) {
    if (c.value) configs[c.name] = *c.value;
  }
  auto config = TopicConfig::make(configs, defaults);
  if (!config.ok()) return {config.status(), KafkaSubject::topic_config};
  return {Status(), KafkaSubject::none};
}

}  // namespace

void handle_create_topics(HandlerContext& ctx, RequestContext request, CreateTopicsRequest body) {
  asio::post(ctx.topics.admin_executor(), [&ctx, request = std::move(request),
                                           body = std::move(body)] {
    CreateTopicsResponse response;
    for (const Topic& t : body.topics) {
      CreateTopicsResponse::Topic& out = response.topics.emplace_back();
      out.name = t.name;
      std::int32_t partitions = 0;
      std::map<std::string, std::string> configs;
      std::int16_t special = 0;
      auto [st, subject] =
          check(t, ctx.identity.node_id, ctx.topics.defaults(), partitions, configs, special);
      if (st.ok() && body.validate_only) {
        if (ctx.topics.find_topic(t.name).ok()) {
          st = already_exists_error("topic " + t.name + " already exists");
        }
      } else if (st.ok()) {
        st = ctx.topics.create_topic(t.name, partitions, configs);
        subject = KafkaSubject::topic;
      }
      if (!st.ok()) {
        logger()->info("kafka CreateTopics {}: {}", t.name, st.to_string());
        out.error_code = special != 0 ? special : kafka_error_code(st, subject);
        out.error_message = st.message();
      }
    }
    send_response(request, response);
  });
}

}  // namespace strata::broker::kafka
