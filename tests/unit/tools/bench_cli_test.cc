// Pieces of strata-bench and the strata CLI that need no broker: latency
// percentiles, topic-name validation, the log benchmark on a real log.

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"
#include "tools/bench/latency_recorder.h"
#include "tools/bench/log_bench.h"
#include "tools/strata/topic_name.h"

namespace strata {
namespace {

using std::chrono::microseconds;

TEST_CASE("latency percentiles use the nearest rank over every sample", "[tools][bench]") {
  bench::LatencyRecorder recorder;
  for (int i = 1; i <= 1000; ++i) recorder.record(microseconds(i));
  const bench::LatencySummary s = recorder.summarize();
  CHECK(s.count == 1000);
  CHECK(s.p50_us == Approx(500));
  CHECK(s.p99_us == Approx(990));
  CHECK(s.p999_us == Approx(999));
  CHECK(s.max_us == Approx(1000));
  CHECK(s.mean_us == Approx(500.5));
}

TEST_CASE("merged latency recorders summarize all their samples", "[tools][bench]") {
  bench::LatencyRecorder a;
  bench::LatencyRecorder b;
  a.record(microseconds(10));
  b.record(microseconds(30));
  a.merge(b);
  CHECK(a.summarize().max_us == Approx(30));
  CHECK(bench::LatencyRecorder().summarize().count == 0);
}

TEST_CASE("topic names follow Kafka's rules", "[tools][cli]") {
  CHECK(cli::validate_topic_name("orders").ok());
  CHECK(cli::validate_topic_name("a.b_c-D9").ok());
  CHECK(cli::validate_topic_name(std::string(249, 'x')).ok());
  CHECK_FALSE(cli::validate_topic_name("").ok());
  CHECK_FALSE(cli::validate_topic_name(".").ok());
  CHECK_FALSE(cli::validate_topic_name("..").ok());
  CHECK(cli::validate_topic_name("...").ok());
  CHECK_FALSE(cli::validate_topic_name(std::string(250, 'x')).ok());
  CHECK_FALSE(cli::validate_topic_name("a/b").ok());
  CHECK_FALSE(cli::validate_topic_name("a b").ok());
  CHECK(cli::validate_topic_name("a b").code() == ErrorCode::invalid_argument);
}

TEST_CASE("the log benchmark appends durably and counts what completed", "[tools][bench]") {
  testing::TempDir dir("strata-log-bench");
  bench::LogBenchOptions options;
  options.data_dir = dir.path();
  options.total_mb = 2;
  options.warmup_s = 0;
  options.batch_records = 16;
  options.appenders = GENERATE(1, 3);
  options.layout = GENERATE(bench::LogLayout::shared, bench::LogLayout::per_appender);
  auto result = bench::run_log_bench(options);
  REQUIRE(result.ok());
  // The budget is checked before each append: at most one append per appender beyond it.
  CHECK(result->value_bytes >= 2'000'000);
  CHECK(result->value_bytes <= 2'000'000 + 16 * 1024 * 3);
  CHECK(result->records == result->appends * 16);
  CHECK(result->latency.count == result->appends);
  CHECK(result->flush_cycles > 0);
  CHECK(bench::format_log_result_line(*result).rfind("strata-bench log layout=", 0) == 0);
  // The run directory is removed afterwards.
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("the log benchmark refuses impossible options", "[tools][bench]") {
  bench::LogBenchOptions options;
  options.appenders = 0;
  auto result = bench::run_log_bench(options);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace strata
