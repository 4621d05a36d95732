// DescribeGroups (key 15), v0-4: state, protocol and members of each group;
// an unknown group is "Dead" with no error, as in Kafka.
#include "broker/group/group_coordinator.h"
#include "broker/kafka/handlers/group_helpers.h"
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_describe_groups(HandlerContext& ctx, RequestContext request,
                            DescribeGroupsRequest body) {
  DescribeGroupsResponse response;
  for (const std::string& id : body.groups) {
    GroupDescription d = ctx.groups->describe(id);
    auto& out = response.groups.emplace_back();
    out.group_id = id;
    out.error_code =
        d.status.error == GroupError::group_id_not_found ? 0 : kafka_code(d.status.error);
    out.group_state = std::string(to_string(d.status.ok() ? d.state : GroupState::dead));
    out.protocol_type = d.protocol_type;
    out.protocol_data = d.protocol_name;
    for (const auto& m : d.members) {
      out.members.push_back({m.member_id, m.group_instance_id, m.client_id, m.client_host,
                             to_buffer(m.metadata), to_buffer(m.assignment)});
    }
  }
  send_response(request, response);
}

}  // namespace strata::broker::kafka
