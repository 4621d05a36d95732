#include "tools/strata/cli_context.h"

namespace strata::cli {

client::ConnectionOptions CliContext::connection() const {
  client::ConnectionOptions options;
  options.bootstrap = broker;
  // An admin command should not hang for the library's 30 s default.
  options.request_timeout_ms = 10000;
  return options;
}

Result<std::unique_ptr<client::Admin>> CliContext::admin() const {
  client::AdminOptions options;
  options.connection = connection();
  return client::Admin::create(options);
}

int report_error(const CliContext& ctx, const std::string& what, const Status& status) {
  std::string message = status.message();
  int rc = kExitFailed;
  switch (status.code()) {
    case ErrorCode::unavailable:
    case ErrorCode::timed_out:
      if (message.find(ctx.broker) == std::string::npos) {
        message = "broker " + ctx.broker + " unreachable: " + message;
      }
      rc = kExitUnreachable;
      break;
    default:
      break;
  }
  std::fprintf(stderr, "strata: %s: %s (%s)\n", what.c_str(), message.c_str(),
               std::string(to_string(status.code())).c_str());
  return rc;
}

}  // namespace strata::cli
