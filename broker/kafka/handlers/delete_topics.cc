// DeleteTopics (key 20), v1-3: deletes topics by name on the admin executor.
#include <asio/post.hpp>

#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/logger.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_delete_topics(HandlerContext& ctx, RequestContext request, DeleteTopicsRequest body) {
  asio::post(ctx.topics.admin_executor(), [&ctx, request = std::move(request),
                                           body = std::move(body)] {
    DeleteTopicsResponse response;
    for (const std::string& name : body.topic_names) {
      DeleteTopicsResponse::Topic& out = response.responses.emplace_back();
      out.name = name;
      Status st = ctx.topics.delete_topic(name);
      if (!st.ok()) {
        logger()->info("kafka DeleteTopics {}: {}", name, st.to_string());
        out.error_code = kafka_error_code(st, KafkaSubject::topic);
      }
    }
    send_response(request, response);
  });
}

}  // namespace strata::broker::kafka
