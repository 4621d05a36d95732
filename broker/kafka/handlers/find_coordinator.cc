// FindCoordinator (key 10), v0-2: this broker coordinates every group. There
// is no transaction coordinator (key_type 1 → COORDINATOR_NOT_AVAILABLE).
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_find_coordinator(HandlerContext& ctx, RequestContext request,
                             FindCoordinatorRequest body) {
  FindCoordinatorResponse response;
  if (body.key_type != 0) {
    response.error_code = to_int(KafkaError::coordinator_not_available);
    response.error_message = "transactions are not supported";
    response.host = "";
  } else {
    response.node_id = ctx.identity.node_id;
    response.host = ctx.identity.advertised.host;
    response.port = ctx.identity.advertised.port;
  }
  send_response(request, response);
}

}  // namespace strata::broker::kafka
