// SyncGroup (key 14), v0-3: the leader's assignments in, this member's out.
#include "broker/group/group_coordinator.h"
#include "broker/kafka/handlers/group_helpers.h"
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_sync_group(HandlerContext& ctx, RequestContext request, SyncGroupRequest body) {
  SyncGroupParams params;
  params.group_id = body.group_id;
  params.generation_id = body.generation_id;
  params.member_id = body.member_id;
  for (const auto& a : body.assignments) {
    params.assignments.emplace_back(a.member_id, to_string_bytes(a.assignment));
  }
  ctx.groups->sync(std::move(params), [request = std::move(request)](SyncGroupResult result) {
    SyncGroupResponse response;
    response.error_code = kafka_code(result.status.error);
    response.assignment = to_buffer(result.assignment);
    send_response(request, response);
  });
}

}  // namespace strata::broker::kafka
