// JoinGroup (key 11), v0-5, through the GroupCoordinator. The answer may
// come much later (when the rebalance completes); the request context lives
// in the callback until then. v4+ first joins get MEMBER_ID_REQUIRED.
#include "broker/group/group_coordinator.h"
#include "broker/kafka/handlers/group_helpers.h"
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_join_group(HandlerContext& ctx, RequestContext request, JoinGroupRequest body) {
  JoinGroupParams params;
  params.group_id = body.group_id;
  params.member_id = body.member_id;
  params.group_instance_id = body.group_instance_id;
  params.client_id = request.header.client_id.value_or("");
  params.client_host = request.client_host;
  params.session_timeout_ms = body.session_timeout_ms;
  params.rebalance_timeout_ms = body.rebalance_timeout_ms;
  params.protocol_type = body.protocol_type;
  for (const auto& p : body.protocols) params.protocols.push_back({p.name, to_string_bytes(p.metadata)});
  params.require_known_member_id = request.header.api_version >= 4;
  ctx.groups->join(std::move(params), [request = std::move(request)](JoinGroupResult result) {
    JoinGroupResponse response;
    response.error_code = kafka_code(result.status.error);
    response.generation_id = result.generation_id;
    response.protocol_name = result.protocol_name;
    response.leader = result.leader_id;
    response.member_id = result.member_id;
    for (auto& m : result.members) {
      response.members.push_back({m.member_id, m.group_instance_id, to_buffer(m.metadata)});
    }
    send_response(request, response);
  });
}

}  // namespace strata::broker::kafka
