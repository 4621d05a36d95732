// DeleteGroups (key 42), v0-1: NON_EMPTY_GROUP while members exist,
// GROUP_ID_NOT_FOUND when unknown.
#include <memory>
#include <mutex>

#include "broker/group/group_coordinator.h"
#include "broker/kafka/handlers/group_helpers.h"
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

namespace {

struct DeleteCall {
  RequestContext request;
  DeleteGroupsResponse response;
  std::mutex mu;
  std::size_t pending = 0;  // guarded by mu
};

}  // namespace

void handle_delete_groups(HandlerContext& ctx, RequestContext request, DeleteGroupsRequest body) {
  auto call = std::make_shared<DeleteCall>();
  call->request = std::move(request);
  for (const std::string& id : body.groups_names) call->response.results.push_back({id, 0});
  call->pending = body.groups_names.size();
  if (call->pending == 0) return send_response(call->request, call->response);
  for (std::size_t i = 0; i < body.groups_names.size(); ++i) {
    ctx.groups->delete_group(body.groups_names[i], [call, i](GroupStatus status) {
      bool done = false;
      {
        std::lock_guard lock(call->mu);
        call->response.results[i].error_code = kafka_code(status.error);
        done = --call->pending == 0;
      }
      if (done) send_response(call->request, call->response);
    });
  }
}

}  // namespace strata::broker::kafka
