#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include <strata/admin.h>
#include <strata/options.h>

#include "common/result.h"
#include "common/status.h"

namespace strata::cli {

// Exit statuses of the strata CLI.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // the broker answered with an error
inline constexpr int kExitUsage = 2;        // bad flags or invalid input, nothing sent
inline constexpr int kExitUnreachable = 3;  // the broker could not be reached

enum class OutputFormat { table, json };

// What every command shares: the global flags and where output goes. Filled
// by main() while CLI11 parses; each command's callback stores its action in
// `action`, which main() runs after parsing. Single-threaded.
struct CliContext {
  std::string broker = "127.0.0.1:7070";  // --broker, else STRATA_BROKER
  std::string output = "table";           // --output table|json
  std::function<int()> action;            // the chosen command

  OutputFormat format() const {
    return output == "json" ? OutputFormat::json : OutputFormat::table;
  }
  client::ConnectionOptions connection() const;
  Result<std::unique_ptr<client::Admin>> admin() const;
};

// Prints `what: <error>` to stderr (naming the broker when it was
// unreachable) and returns the matching exit status.
int report_error(const CliContext& ctx, const std::string& what, const Status& status);

}  // namespace strata::cli
