// CreatePartitions (key 37), v0-1: raises partition counts on the admin
// executor. Explicit assignments must name only this broker.
#include <asio/post.hpp>

#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/logger.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_create_partitions(HandlerContext& ctx, RequestContext request,
                              CreatePartitionsRequest body) {
  asio::post(ctx.topics.admin_executor(), [&ctx, request = std::move(request),
                                           body = std::move(body)] {
    CreatePartitionsResponse response;
    for (const CreatePartitionsRequest::Topic& t : body.topics) {
      CreatePartitionsResponse::Result& out = response.results.emplace_back();
      out.name = t.name;
      Status st;
      KafkaSubject subject = KafkaSubject::partition_count;
      if (t.assignments) {
        for (const auto& a : *t.assignments) {
          if (a.broker_ids.size() != 1 || a.broker_ids[0] != ctx.identity.node_id) {
            st = invalid_argument_error("assignments may name only broker " +
                                        std::to_string(ctx.identity.node_id));
            subject = KafkaSubject::none;
          }
        }
      }
      if (st.ok()) {
        auto topic = ctx.topics.find_topic(t.name);
        if (!topic.ok()) {
          st = topic.status();
          subject = KafkaSubject::topic;
        } else if (t.count <= static_cast<std::int32_t>((*topic)->partitions.size()) ||
                   t.count > kMaxPartitionsPerTopic) {
          st = invalid_argument_error(t.name + ": partition count " + std::to_string(t.count) +
                                      " is not above " +
                                      std::to_string((*topic)->partitions.size()) +
                                      " or over the limit");
        } else if (!body.validate_only) {
          st = ctx.topics.add_partitions(t.name, t.count);
          if (st.code() == ErrorCode::not_found) subject = KafkaSubject::topic;
        }
      }
      if (!st.ok()) {
        logger()->info("kafka CreatePartitions {}: {}", t.name, st.to_string());
        out.error_code = kafka_error_code(st, subject);
        out.error_message = st.message();
      }
    }
    send_response(request, response);
  });
}

}  // namespace strata::broker::kafka
