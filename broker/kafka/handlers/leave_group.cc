// LeaveGroup (key 13), v0-3: one member (v0-2) or several (v3+).
#include "broker/group/group_coordinator.h"
#include "broker/kafka/handlers/group_helpers.h"
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_leave_group(HandlerContext& ctx, RequestContext request, LeaveGroupRequest body) {
  LeaveGroupParams params;
  params.group_id = body.group_id;
  const bool batch = request.header.api_version >= 3;
  if (batch) {
    for (const auto& m : body.members) params.member_ids.push_back(m.member_id);
  } else {
    params.member_ids.push_back(body.member_id);
  }
  ctx.groups->leave(params, [request = std::move(request), batch](LeaveGroupResult result) {
    LeaveGroupResponse response;
    response.error_code = kafka_code(result.status.error);
    for (const auto& [member, error] : result.members) {
      if (batch) {
        response.members.push_back({member, std::nullopt, kafka_code(error)});
      } else if (response.error_code == 0) {
        response.error_code = kafka_code(error);  // v0-2: the one member's outcome
      }
    }
    send_response(request, response);
  });
}

}  // namespace strata::broker::kafka
