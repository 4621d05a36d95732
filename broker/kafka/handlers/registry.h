#pragma once

#include <asio/any_io_executor.hpp>

#include "broker/kafka/handlers/handler_context.h"
#include "broker/kafka/protocol/messages.h"

namespace strata::broker::kafka {

// Runs the handler of `body`'s API (one per file in handlers/) on `where`
// (a pool executor or a strand on it), never on the calling network thread. Requires: the version is advertised.
// APIs Strata advertises without a handler yet, and Produce v0-2, are
// answered with UNSUPPORTED_VERSION errors or a closed connection. Each
// request is counted in ctx.probe (protocol "kafka", its API's name) when
// its reply is handed back.
void dispatch(HandlerContext& ctx, const asio::any_io_executor& where, RequestContext request,
              strata::kafka::RequestBody body);

}  // namespace strata::broker::kafka
