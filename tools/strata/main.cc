// strata: the admin and console CLI of a Strata broker, over libstrata.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "common/logging.h"
#include "tools/strata/cli_context.h"
#include "tools/strata/commands/broker.h"
#include "tools/strata/commands/consume.h"
#include "tools/strata/commands/groups.h"
#include "tools/strata/commands/produce.h"
#include "tools/strata/commands/topics.h"
#include "tools/strata/commands/users.h"

namespace {

constexpr const char* kFooter = R"(The broker address comes from --broker, else $STRATA_BROKER,
else 127.0.0.1:7070.

Exit status:
  0  done
  1  the broker answered with an error (unknown topic, topic exists, ...)
  2  usage error or invalid input (bad flags, invalid topic name); nothing was sent
  3  the broker could not be reached)";

}  // namespace

int main(int argc, char** argv) {
  strata::cli::CliContext ctx;
  if (const char* env = std::getenv("STRATA_BROKER"); env != nullptr && *env != '\0') {
    ctx.broker = env;
  }
  CLI::App app("Administer a Strata broker, produce from stdin, consume to stdout.", "strata");
  app.require_subcommand(1);
  app.footer(kFooter);
  app.add_option("--broker", ctx.broker, "Broker native API address HOST:PORT")
      ->capture_default_str();
  app.add_option("--output,-o", ctx.output, "Output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  strata::cli::add_topic_commands(app, ctx);
  strata::cli::add_produce_command(app, ctx);
  strata::cli::add_consume_command(app, ctx);
  strata::cli::add_group_commands(app, ctx);
  strata::cli::add_broker_commands(app, ctx);
  strata::cli::add_user_commands(app, ctx);

  // CLI11 reports through exceptions; they stop here.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? strata::cli::kExitOk : strata::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strata: %s\n", e.what());
    return strata::cli::kExitUsage;
  }
  if (!ctx.action) return strata::cli::kExitUsage;
  strata::set_log_level("error");
  return ctx.action();
}
