#pragma once

#include <CLI/CLI.hpp>

#include "tools/strata/cli_context.h"

namespace strata::cli {

// `strata produce T`: one record per stdin line.
void add_produce_command(CLI::App& app, CliContext& ctx);

}  // namespace strata::cli
