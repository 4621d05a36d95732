#pragma once

#include <CLI/CLI.hpp>

#include "tools/strata/cli_context.h"

namespace strata::cli {

// `strata broker info`.
void add_broker_commands(CLI::App& app, CliContext& ctx);

}  // namespace strata::cli
