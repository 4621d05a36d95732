// DescribeConfigs (key 32), v1-2: a topic's effective configs (resource type
// 2); a broker (type 4, named by its node id) answers with no configs.
#include <algorithm>

#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {
namespace {

using namespace ::strata::kafka;

constexpr std::int8_t kTopicResource = 2;
constexpr std::int8_t kBrokerResource = 4;
// Kafka's ConfigSource values.
constexpr std::int8_t kDynamicTopicConfig = 1;
constexpr std::int8_t kDefaultConfig = 5;

void describe_topic(const Topic& topic, const DescribeConfigsRequest::Resource& resource,
                    DescribeConfigsResponse::Result& out) {
  for (const TopicConfigEntry& entry : topic.config.effective()) {
    if (resource.configuration_keys &&
        std::find(resource.configuration_keys->begin(), resource.configuration_keys->end(),
                  entry.name) == resource.configuration_keys->end()) {
      continue;
    }
    DescribeConfigsResponse::Result::Config& c = out.configs.emplace_back();
    c.name = entry.name;
    c.value = entry.value;
    c.is_default = entry.is_default;
    c.config_source = entry.is_default ? kDefaultConfig : kDynamicTopicConfig;
  }
}

}  // namespace

void handle_describe_configs(HandlerContext& ctx, RequestContext request,
                             DescribeConfigsRequest body) {
  DescribeConfigsResponse response;
  for (const DescribeConfigsRequest::Resource& resource : body.resources) {
    DescribeConfigsResponse::Result& out = response.results.emplace_back();
    out.resource_type = resource.resource_type;
    out.resource_name = resource.resource_name;
    if (resource.resource_type == kTopicResource) {
      auto topic = ctx.topics.find_topic(resource.resource_name);
      if (!topic.ok()) {
        out.error_code = kafka_error_code(topic.status(), KafkaSubject::topic);
        out.error_message = topic.status().message();
        continue;
      }
      describe_topic(**topic, resource, out);
    } else if (resource.resource_type == kBrokerResource &&
               resource.resource_name == std::to_string(ctx.identity.node_id)) {
      // No broker configs are described yet: an empty list.
    } else {
      out.error_code = to_int(KafkaError::invalid_request);
      out.error_message = "resource type " + std::to_string(resource.resource_type) + " '" +
                          resource.resource_name + "' is not described by this broker";
    }
  }
  send_response(request, response);
}

}  // namespace strata::broker::kafka
