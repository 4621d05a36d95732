#include "tools/strata/commands/broker.h"

#include <string>

#include <nlohmann/json.hpp>

#include "tools/strata/table.h"

namespace strata::cli {
namespace {

int run_info(const CliContext& ctx) {
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, "broker info", admin.status());
  auto info = (*admin)->broker_info();
  if (!info.ok()) return report_error(ctx, "broker info", info.status());
  if (ctx.format() == OutputFormat::json) {
    nlohmann::json listeners = nlohmann::json::array();
    for (const auto& l : info->listeners) {
      listeners.push_back(
          {{"protocol", l.protocol}, {"host", l.host}, {"port", l.port}, {"tls", l.is_tls}});
    }
    nlohmann::json out{{"node_id", info->node_id.value()},
                       {"cluster_id", info->cluster_id},
                       {"version", info->version},
                       {"uptime_ms", info->uptime_ms},
                       {"controller_id", info->controller_id.value()},
                       {"data_dirs", info->data_dirs},
                       {"listeners", listeners}};
    std::printf("%s\n", out.dump().c_str());
    return kExitOk;
  }
  std::string dirs;
  for (const auto& d : info->data_dirs) dirs += (dirs.empty() ? "" : ",") + d;
  std::printf("broker %s\n", ctx.broker.c_str());
  std::printf("  node id        %d\n", info->node_id.value());
  std::printf("  cluster id     %s\n", info->cluster_id.c_str());
  std::printf("  version        %s\n", info->version.c_str());
  std::printf("  uptime         %.1f s\n", static_cast<double>(info->uptime_ms) / 1000.0);
  std::printf("  controller     %d\n", info->controller_id.value());
  std::printf("  data dirs      %s\n", dirs.c_str());
  Table table({"LISTENER", "ADDRESS", "TLS"});
  for (const auto& l : info->listeners) {
    table.add_row({l.protocol, l.host + ":" + std::to_string(l.port), l.is_tls ? "yes" : "no"});
  }
  std::printf("\n");
  table.print(stdout);
  return kExitOk;
}

}  // namespace

void add_broker_commands(CLI::App& app, CliContext& ctx) {
  CLI::App* broker = app.add_subcommand("broker", "The broker itself");
  broker->require_subcommand(1);
  CLI::App* info = broker->add_subcommand(
      "info", "Node id, cluster id, version, listeners, uptime, data directories");
  info->callback([&ctx] { ctx.action = [&ctx] { return run_info(ctx); }; });
}

}  // namespace strata::cli
