// ListGroups (key 16), v0-4: every group, filtered by state (v4+).
#include "broker/group/group_coordinator.h"
#include "broker/kafka/handlers/group_helpers.h"
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_list_groups(HandlerContext& ctx, RequestContext request, ListGroupsRequest body) {
  std::vector<GroupState> states;
  for (const std::string& name : body.states_filter) {
    for (GroupState s : {GroupState::empty, GroupState::preparing_rebalance,
                         GroupState::completing_rebalance, GroupState::stable, GroupState::dead}) {
      if (to_string(s) == name) states.push_back(s);
    }
  }
  ListGroupsResponse response;
  if (!body.states_filter.empty() && states.empty()) return send_response(request, response);
  for (const GroupListing& g : ctx.groups->list(states)) {
    response.groups.push_back({g.group_id, g.protocol_type, std::string(to_string(g.state))});
  }
  send_response(request, response);
}

}  // namespace strata::broker::kafka
