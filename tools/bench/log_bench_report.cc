// Formatting of `strata-bench log` results: one key=value line for scripts,
// a small table for people.

#include <cstdio>
#include <string>

#include "tools/bench/log_bench.h"

namespace strata::bench {
namespace {

std::string format(const char* fmt, auto... args) {
  char buf[512];
  const int n = std::snprintf(buf, sizeof(buf), fmt, args...);
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace

std::string format_log_result_line(const LogBenchResult& r) {
  const LogBenchOptions& o = r.options;
  return format(
             "strata-bench log layout=%s appenders=%d batch_records=%d record_bytes=%zu "
             "in_flight=%d durable=%d ",
             to_string(o.layout), o.appenders, o.batch_records, o.record_bytes, o.in_flight,
             o.fsync ? 1 : 0) +
         format("elapsed_s=%.3f appends=%llu records=%llu mb_per_s=%.1f log_mb_per_s=%.1f "
                "records_per_s=%.0f ",
                r.elapsed_s, static_cast<unsigned long long>(r.appends),
                static_cast<unsigned long long>(r.records), r.mb_per_s(), r.log_mb_per_s(),
                r.records_per_s()) +
         format("p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f mean_us=%.0f "
                "flush_cycles=%llu appends_per_cycle=%.2f batch_bytes=%zu",
                r.latency.p50_us, r.latency.p99_us, r.latency.p999_us, r.latency.max_us,
                r.latency.mean_us, static_cast<unsigned long long>(r.flush_cycles),
                r.appends_per_cycle(), r.batch_bytes);
}

std::string format_log_result_table(const LogBenchResult& r) {
  const LogBenchOptions& o = r.options;
  std::string out;
  out += format("  %-28s %s, %d appender(s), %d x %zu B records per batch (%zu B), %d in flight\n",
                "run", to_string(o.layout), o.appenders, o.batch_records, o.record_bytes,
                r.batch_bytes, o.in_flight);
  out += format("  %-28s %s\n", "acknowledged",
                o.fsync ? "durable (after fdatasync)" : "NOT durable (no fsync)");
  out += format("  %-28s %.1f MB/s of values (%.1f MB/s written)\n", "throughput", r.mb_per_s(),
                r.log_mb_per_s());
  out += format("  %-28s %.0f records/s, %.0f appends/s\n", "rate", r.records_per_s(),
                r.elapsed_s > 0 ? static_cast<double>(r.appends) / r.elapsed_s : 0.0);
  out += format("  %-28s p50 %.0f  p99 %.0f  p99.9 %.0f  max %.0f  (us, %llu appends)\n",
                "append-to-durable latency", r.latency.p50_us, r.latency.p99_us,
                r.latency.p999_us, r.latency.max_us,
                static_cast<unsigned long long>(r.latency.count));
  out += format("  %-28s %llu cycles, %.2f appends per cycle\n", "group commit",
                static_cast<unsigned long long>(r.flush_cycles), r.appends_per_cycle());
  return out;
}

}  // namespace strata::bench
