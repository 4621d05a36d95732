#pragma once

#include <CLI/CLI.hpp>

#include "tools/strata/cli_context.h"

namespace strata::cli {

// `strata group offsets|reset`.
void add_group_commands(CLI::App& app, CliContext& ctx);

}  // namespace strata::cli
