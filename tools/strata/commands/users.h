#pragma once

#include <CLI/CLI.hpp>

#include "tools/strata/cli_context.h"

namespace strata::cli {

// `strata user create|delete|list`: the SASL users of the Kafka listener.
// Passwords come from a file, an environment variable or stdin, never argv
// (which every local user can read in /proc).
void add_user_commands(CLI::App& app, CliContext& ctx);

}  // namespace strata::cli
