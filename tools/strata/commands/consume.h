#pragma once

#include <CLI/CLI.hpp>

#include "tools/strata/cli_context.h"

namespace strata::cli {

// `strata consume T`: record values to stdout, one per line.
void add_consume_command(CLI::App& app, CliContext& ctx);

}  // namespace strata::cli
