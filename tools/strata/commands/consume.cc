#include "tools/strata/commands/consume.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <strata/consumer.h>

#include "tools/strata/topic_name.h"

namespace strata::cli {
namespace {

struct ConsumeFlags {
  std::string topic;
  std::string group;
  bool from_beginning = false;
  std::optional<std::int32_t> partition;
  std::optional<std::int64_t> offset;
  std::optional<std::int64_t> max_messages;
  std::optional<std::int64_t> timeout_ms;  // stop after this long without a record
  bool print_key = false;
  bool print_offset = false;
  std::string key_separator = "\t";
};

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop.store(true); }

// Prints one record: [partition:offset<TAB>][key<SEP>]value, or a JSON object.
void print_record(const CliContext& ctx, const ConsumeFlags& f, const client::ConsumerRecord& r) {
  if (ctx.format() == OutputFormat::json) {
    nlohmann::json j{{"partition", r.partition.value()},
                     {"offset", r.offset.value()},
                     {"timestamp_ms", r.timestamp_ms}};
    j["key"] = r.key ? nlohmann::json(*r.key) : nlohmann::json(nullptr);
    j["value"] = r.value ? nlohmann::json(*r.value) : nlohmann::json(nullptr);
    // Values are arbitrary bytes: replace invalid UTF-8 rather than throw.
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return;
  }
  std::string line;
  if (f.print_offset) {
    line += std::to_string(r.partition.value()) + ":" + std::to_string(r.offset.value()) + "\t";
  }
  if (f.print_key) {
    line += r.key.value_or("null");
    line += f.key_separator;
  }
  line += r.value.value_or("null");
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
}

// Assigns what the flags ask for; subscribe when a group reads the whole topic.
Status set_up(const CliContext& ctx, const ConsumeFlags& f, client::Consumer& consumer) {
  if (f.partition) {
    const TopicPartition tp{f.topic, PartitionId(*f.partition)};
    STRATA_TRY(consumer.assign({tp}));
    if (f.offset) return consumer.seek(tp, Offset(*f.offset));
    if (f.from_beginning && f.group.empty()) return consumer.seek_to_beginning({tp});
    return Status::ok_status();
  }
  if (!f.group.empty()) return consumer.subscribe(f.topic, f.group);
  STRATA_TRY_ASSIGN(auto admin, ctx.admin());
  STRATA_TRY_ASSIGN(client::TopicDescription d, admin->describe_topic(f.topic));
  std::vector<TopicPartition> all;
  for (const auto& p : d.partitions) all.push_back({f.topic, p.partition});
  STRATA_TRY(consumer.assign(all));
  return f.from_beginning ? consumer.seek_to_beginning() : consumer.seek_to_end();
}

int run_consume(const CliContext& ctx, const ConsumeFlags& f) {
  const std::string what = "consume " + f.topic;
  if (Status st = validate_topic_name(f.topic); !st.ok()) {
    std::fprintf(stderr, "strata: %s: %s\n", what.c_str(), st.message().c_str());
    return kExitUsage;
  }
  if (f.offset && !f.partition) {
    std::fprintf(stderr, "strata: %s: --offset needs --partition\n", what.c_str());
    return kExitUsage;
  }
  client::ConsumerOptions options;
  options.connection = ctx.connection();
  options.group_id = f.group;
  options.auto_offset_reset =
      f.from_beginning ? client::OffsetReset::earliest : client::OffsetReset::latest;
  // Commits cover exactly the records printed (see the loop).
  options.enable_auto_commit = false;
  options.fetch_max_wait_ms = 200;
  auto consumer = client::Consumer::create(options);
  if (!consumer.ok()) return report_error(ctx, what, consumer.status());
  if (Status st = set_up(ctx, f, **consumer); !st.ok()) return report_error(ctx, what, st);

  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  std::map<TopicPartition, Offset> printed;  // next offset per partition
  std::int64_t count = 0;
  auto last_record = std::chrono::steady_clock::now();
  int rc = kExitOk;
  while (!g_stop.load() && (!f.max_messages || count < *f.max_messages)) {
    auto records = (*consumer)->poll(std::chrono::milliseconds(200));
    if (!records.ok()) {
      rc = report_error(ctx, what, records.status());
      break;
    }
    for (const client::ConsumerRecord& r : *records) {
      if (f.max_messages && count >= *f.max_messages) break;
      print_record(ctx, f, r);
      printed[{r.topic, r.partition}] = r.offset + 1;
      ++count;
    }
    std::fflush(stdout);
    const auto now = std::chrono::steady_clock::now();
    if (!records->empty()) last_record = now;
    if (f.timeout_ms && now - last_record >= std::chrono::milliseconds(*f.timeout_ms)) break;
  }
  if (!f.group.empty() && !printed.empty()) {
    if (Status st = (*consumer)->commit_sync(printed); !st.ok()) {
      rc = report_error(ctx, what + ": commit", st);
    }
  }
  (*consumer)->close();
  return rc;
}

}  // namespace

void add_consume_command(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<ConsumeFlags>();
  CLI::App* consume = app.add_subcommand(
      "consume", "Print record values to stdout, one per line, until --max-messages or Ctrl-C");
  consume->add_option("topic", f->topic, "Topic name")->required();
  consume->add_option("--group", f->group,
                      "Consumer group: start at its committed offsets, commit what was printed");
  consume->add_flag("--from-beginning", f->from_beginning,
                    "Start at the log start (with --group: only where nothing is committed)");
  auto* partition = consume->add_option("--partition", f->partition, "Read only this partition")
                        ->check(CLI::NonNegativeNumber);
  consume->add_option("--offset", f->offset, "Start at this offset (needs --partition)")
      ->check(CLI::NonNegativeNumber)
      ->needs(partition);
  consume->add_option("--max-messages", f->max_messages, "Stop after this many records")
      ->check(CLI::PositiveNumber);
  consume->add_option("--timeout-ms", f->timeout_ms,
                      "Stop when no record arrived for this long")
      ->check(CLI::NonNegativeNumber);
  consume->add_flag("--print-key", f->print_key, "Print key<TAB>value");
  consume->add_flag("--print-offset", f->print_offset, "Prefix partition:offset<TAB>");
  consume->add_option("--key-separator", f->key_separator,
                      "Between key and value with --print-key (default: tab)");
  consume->callback([&ctx, f] { ctx.action = [&ctx, f] { return run_consume(ctx, *f); }; });
}

}  // namespace strata::cli
