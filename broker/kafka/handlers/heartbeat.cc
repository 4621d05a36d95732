// Heartbeat (key 12), v0-3.
#include "broker/group/group_coordinator.h"
#include "broker/kafka/handlers/group_helpers.h"
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_heartbeat(HandlerContext& ctx, RequestContext request, HeartbeatRequest body) {
  ctx.groups->heartbeat({body.group_id, body.generation_id, body.member_id},
                        [request = std::move(request)](GroupStatus status) {
                          HeartbeatResponse response;
                          response.error_code = kafka_code(status.error);
                          send_response(request, response);
                        });
}

}  // namespace strata::broker::kafka
