// strata-bench: load generator. `log` appends straight to storage::PartitionLog
// (no broker, no network) and measures durable append throughput and latency.

#include <cstdio>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "common/logging.h"
#include "tools/bench/log_bench.h"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailed = 1;

// The flags of `strata-bench log`, filled by CLI11.
struct LogFlags {
  strata::bench::LogBenchOptions options;
  std::string data_dir;
  std::string layout = "shared";
  bool no_fsync = false;
  bool quiet = false;
};

void add_log_command(CLI::App& app, LogFlags& flags) {
  strata::bench::LogBenchOptions& o = flags.options;
  CLI::App* log = app.add_subcommand(
      "log",
      "Append RecordBatch v2 batches to storage::PartitionLog with durable acks (completion "
      "after the Flusher's fdatasync) and report MB/s, records/s and append-to-durable "
      "latency percentiles.");
  log->add_option("--data-dir", flags.data_dir,
                  "Parent directory for the logs (a fresh subdirectory, removed after); default: "
                  "the system temp directory");
  log->add_flag("--keep-data", o.keep_data, "Keep the written logs");
  log->add_option("--record-bytes", o.record_bytes, "Value size of each record")
      ->capture_default_str();
  log->add_option("--batch-records", o.batch_records, "Records per batch (one append)")
      ->capture_default_str();
  log->add_option("--appenders", o.appenders, "Concurrent appender threads")
      ->capture_default_str();
  log->add_option("--layout", flags.layout,
                  "shared: all appenders take turns on one partition log; per-appender: one log "
                  "each, all sharing one Flusher")
      ->check(CLI::IsMember({"shared", "per-appender"}))
      ->capture_default_str();
  log->add_option("--in-flight", o.in_flight,
                  "Appends per appender awaiting durability at most")
      ->capture_default_str();
  auto* duration = log->add_option("--duration-s", o.duration_s, "Measured seconds")
                       ->capture_default_str();
  log->add_option("--total-mb", o.total_mb,
                  "Stop after this many MB (1e6 bytes) of record values instead of a duration")
      ->excludes(duration);
  log->add_option("--warmup-s", o.warmup_s, "Unmeasured seconds before measuring")
      ->capture_default_str();
  log->add_flag("--no-fsync", flags.no_fsync,
                "No fdatasync: completions at once (figures are NOT durable)");
  log->add_option("--segment-bytes", o.segment_bytes, "Segment roll size")
      ->capture_default_str();
  log->add_flag("--quiet", flags.quiet, "Print only the machine-readable line");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Strata load generator.", "strata-bench");
  app.require_subcommand(1);
  app.footer(R"(Output: one machine-readable line per run on stdout, starting with
`strata-bench <mode>` and followed by key=value pairs (MB = 1e6 bytes), then a
table. Exit status: 0 ok, 1 the run failed, 2 usage error.)");
  LogFlags log_flags;
  add_log_command(app, log_flags);

  // CLI11 reports through exceptions; they stop here.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strata-bench: %s\n", e.what());
    return kExitUsage;
  }
  strata::set_log_level("warn");

  if (app.got_subcommand("log")) {
    log_flags.options.data_dir = log_flags.data_dir;
    log_flags.options.fsync = !log_flags.no_fsync;
    log_flags.options.layout = log_flags.layout == "shared" ? strata::bench::LogLayout::shared
                                                            : strata::bench::LogLayout::per_appender;
    auto result = strata::bench::run_log_bench(log_flags.options);
    if (!result.ok()) {
      std::fprintf(stderr, "strata-bench log: %s\n", result.status().to_string().c_str());
      return kExitFailed;
    }
    std::printf("%s\n", strata::bench::format_log_result_line(*result).c_str());
    if (!log_flags.quiet) {
      std::printf("%s", strata::bench::format_log_result_table(*result).c_str());
    }
    std::fflush(stdout);
    return 0;
  }
  return kExitUsage;
}
