// strata-bench: load generator. `log` appends straight to storage::PartitionLog
// (no broker, no network) and measures durable append throughput and latency;
// `produce`, `consume` and `e2e` drive a running broker through libstrata.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "common/logging.h"
#include "common/malloc_tuning.h"
#include "tools/bench/client_bench.h"
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

// Adds `mode` (produce, consume or e2e) with the flags it uses.
CLI::App* add_client_command(CLI::App& app, const std::string& mode, const std::string& help,
                             strata::bench::ClientBenchOptions& o) {
  CLI::App* cmd = app.add_subcommand(mode, help);
  cmd->add_option("--broker", o.broker, "Broker native API HOST:PORT (also $STRATA_BROKER)")
      ->capture_default_str();
  cmd->add_option("--topic", o.topic, "Topic (default: strata-bench-<pid>, created)");
  cmd->add_option("--message-bytes", o.message_bytes, "Value size")->capture_default_str();
  if (mode != "consume") {
    cmd->add_option("--partitions", o.partitions, "Partitions when the topic is created")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--acks", o.acks, "0, 1 or all")
        ->check(CLI::IsMember({"0", "1", "all", "-1"}))
        ->capture_default_str();
    cmd->add_option("--compression", o.compression, "Batch compression")
        ->check(CLI::IsMember({"none", "gzip", "snappy", "lz4", "zstd"}))
        ->capture_default_str();
    cmd->add_option("--linger-ms", o.linger_ms, "Producer linger.ms")->capture_default_str();
    cmd->add_option("--batch-bytes", o.batch_bytes, "Producer batch.size")->capture_default_str();
    cmd->add_option("--max-in-flight", o.max_in_flight,
                    "Producer batches in flight per partition (max_in_flight_per_partition)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
  }
  if (mode == "produce") {
    cmd->add_option("--producers", o.producers, "Producer threads, one Producer each")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
  }
  if (mode == "e2e") {
    cmd->add_option("--rate", o.rate, "Records per second, on a fixed schedule")
        ->capture_default_str();
    cmd->add_option("--duration-s", o.duration_s, "Measured seconds")->capture_default_str();
    cmd->add_option("--warmup-s", o.warmup_s, "Unmeasured seconds first")->capture_default_str();
  } else {
    cmd->add_option("--count", o.count, "Records")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
  }
  return cmd;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Strata load generator.", "strata-bench");
  app.require_subcommand(1);
  app.footer(R"(Output: one machine-readable line per run on stdout, starting with
`strata-bench <mode>` and followed by key=value pairs (MB = 1e6 bytes), then a
table. Exit status: 0 ok, 1 the run failed, 2 usage error.)");
  bool malloc_defaults = false;
  app.add_flag("--malloc-defaults", malloc_defaults,
               "Keep glibc's malloc settings, as an application that does not tune them runs "
               "(by default strata-bench keeps I/O buffers in the heap as the broker does; see "
               "common/malloc_tuning.h)");
  LogFlags log_flags;
  add_log_command(app, log_flags);
  strata::bench::ClientBenchOptions client_options;
  if (const char* env = std::getenv("STRATA_BROKER"); env != nullptr && *env != '\0') {
    client_options.broker = env;
  }
  add_client_command(app, "produce",
                     "Produce --count records through libstrata; records/s, MB/s, send-to-ack "
                     "latency",
                     client_options);
  add_client_command(app, "consume",
                     "Consume --count records of --topic from the log start; records/s, MB/s",
                     client_options);
  add_client_command(app, "e2e",
                     "Produce at a fixed --rate while consuming; latency from each record's "
                     "intended send time to its arrival",
                     client_options);

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
  if (!malloc_defaults) strata::keep_io_buffers_in_heap();

  if (app.got_subcommand("log")) {
    log_flags.options.data_dir = log_flags.data_dir;
    log_flags.options.fsync = !log_flags.no_fsync;
    log_flags.options.layout = log_flags.layout == "shared"
                                   ? strata::bench::LogLayout::shared
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
  if (client_options.topic.empty()) {
    if (app.got_subcommand("consume")) {
      std::fprintf(stderr, "strata-bench consume: --topic is required\n");
      return kExitUsage;
    }
    client_options.topic = "strata-bench-" + std::to_string(getpid());
  }
  strata::Result<strata::bench::ClientBenchResult> result =
      strata::invalid_argument_error("no mode");
  std::string mode = "produce";
  if (app.got_subcommand("produce")) {
    result = strata::bench::run_produce_bench(client_options);
  } else if (app.got_subcommand("consume")) {
    mode = "consume";
    result = strata::bench::run_consume_bench(client_options);
  } else if (app.got_subcommand("e2e")) {
    mode = "e2e";
    result = strata::bench::run_e2e_bench(client_options);
  }
  if (!result.ok()) {
    std::fprintf(stderr, "strata-bench %s: %s\n", mode.c_str(),
                 result.status().to_string().c_str());
    return kExitFailed;
  }
  std::printf("%s\n%s", strata::bench::format_client_result_line(*result).c_str(),
              strata::bench::format_client_result_table(*result).c_str());
  std::fflush(stdout);
  return 0;
}
