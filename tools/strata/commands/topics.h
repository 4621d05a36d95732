#pragma once

#include <CLI/CLI.hpp>

#include "tools/strata/cli_context.h"

namespace strata::cli {

// `strata topic create|list|describe|delete|add-partitions`.
void add_topic_commands(CLI::App& app, CliContext& ctx);

}  // namespace strata::cli
