#include "tools/strata/commands/produce.h"

#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>
#include <strata/producer.h>

#include "tools/strata/topic_name.h"

namespace strata::cli {
namespace {

struct ProduceFlags {
  std::string topic;
  std::string key_separator;  // empty: the whole line is the value, key null
  std::string acks = "all";
  std::string compression = "none";
  std::int32_t partition = -1;
  std::int32_t linger_ms = 5;
};

// The first delivery failure, shared with the producer's I/O thread.
struct DeliveryOutcome {
  std::mutex mu;
  std::uint64_t failed = 0;  // guarded by mu
  Status first_error;        // guarded by mu
  std::atomic<std::uint64_t> delivered{0};
};

int run_produce(const CliContext& ctx, const ProduceFlags& f) {
  const std::string what = "produce " + f.topic;
  if (Status st = validate_topic_name(f.topic); !st.ok()) {
    std::fprintf(stderr, "strata: %s: %s\n", what.c_str(), st.message().c_str());
    return kExitUsage;
  }
  client::ProducerOptions options;
  options.connection = ctx.connection();
  options.linger_ms = f.linger_ms;
  // Validated by CLI11 already; parse_* cannot fail here.
  options.acks = client::parse_acks(f.acks).value();
  options.compression = client::parse_compression(f.compression).value();
  // Fail fast and clearly instead of retrying for delivery_timeout_ms.
  options.max_block_ms = options.connection.request_timeout_ms;
  options.delivery_timeout_ms = 2 * options.connection.request_timeout_ms;
  auto producer = client::Producer::create(options);
  if (!producer.ok()) return report_error(ctx, what, producer.status());
  // Checks the topic (and the broker) before reading any input.
  auto partitions = (*producer)->partition_count(f.topic);
  if (!partitions.ok()) return report_error(ctx, what, partitions.status());
  if (f.partition >= *partitions) {
    std::fprintf(stderr, "strata: %s: partition %d does not exist (the topic has %d)\n",
                 what.c_str(), f.partition, *partitions);
    return kExitUsage;
  }

  auto outcome = std::make_shared<DeliveryOutcome>();
  std::string line;
  std::uint64_t line_number = 0;
  int rc = kExitOk;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    client::ProducerRecord record;
    record.topic = f.topic;
    if (f.partition >= 0) record.partition = f.partition;
    if (f.key_separator.empty()) {
      record.value = std::move(line);
    } else {
      const auto at = line.find(f.key_separator);
      if (at == std::string::npos) {
        std::fprintf(stderr, "strata: %s: line %llu has no key separator '%s'\n", what.c_str(),
                     static_cast<unsigned long long>(line_number), f.key_separator.c_str());
        rc = kExitUsage;
        break;
      }
      record.key = line.substr(0, at);
      record.value = line.substr(at + f.key_separator.size());
    }
    (*producer)->send(std::move(record), [outcome](Result<client::RecordMetadata> r) {
      if (r.ok()) {
        outcome->delivered.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      std::lock_guard lock(outcome->mu);
      if (outcome->failed++ == 0) outcome->first_error = r.status();
    });
  }
  (*producer)->flush();
  (*producer)->close();
  std::lock_guard lock(outcome->mu);
  if (outcome->failed > 0) {
    report_error(ctx,
                 what + ": " + std::to_string(outcome->failed) + " of " +
                     std::to_string(outcome->failed + outcome->delivered.load()) +
                     " records failed, the first",
                 outcome->first_error);
    return outcome->first_error.code() == ErrorCode::unavailable ? kExitUnreachable : kExitFailed;
  }
  if (ctx.format() == OutputFormat::json) {
    std::printf("%s\n", nlohmann::json{{"topic", f.topic}, {"records", outcome->delivered.load()}}
                            .dump()
                            .c_str());
  }
  return rc;
}

}  // namespace

void add_produce_command(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<ProduceFlags>();
  CLI::App* produce = app.add_subcommand(
      "produce", "Send each line of stdin as one record (value; key too with --key-separator)");
  produce->add_option("topic", flags->topic, "Topic name")->required();
  produce->add_option("--key-separator", flags->key_separator,
                      "Split each line at the first SEP into key and value");
  produce->add_option("--acks", flags->acks, "0: no answer, 1: leader appended, all: durable")
      ->check(CLI::IsMember({"0", "1", "all", "-1"}))
      ->capture_default_str();
  produce->add_option("--compression", flags->compression, "Batch compression")
      ->check(CLI::IsMember({"none", "gzip", "snappy", "lz4", "zstd"}))
      ->capture_default_str();
  produce->add_option("--partition", flags->partition,
                      "Send every record to this partition (default: by key, sticky for none)")
      ->check(CLI::NonNegativeNumber);
  produce->add_option("--linger-ms", flags->linger_ms, "How long a batch waits for more records")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  produce->callback([&ctx, flags] {
    ctx.action = [&ctx, flags] { return run_produce(ctx, *flags); };
  });
}

}  // namespace strata::cli
