// Shared pieces of the libstrata benchmarks: topic set-up and formatting.

#include "tools/bench/client_bench.h"

#include <cstdio>

#include <strata/admin.h>

#include "tools/bench/client_bench_common.h"

namespace strata::bench {

client::ProducerOptions producer_options(const ClientBenchOptions& o) {
  client::ProducerOptions p;
  p.connection.bootstrap = o.broker;
  p.linger_ms = o.linger_ms;
  p.batch_size = o.batch_bytes;
  p.max_in_flight_per_partition = o.max_in_flight;
  p.acks = client::parse_acks(o.acks).value_or(client::Acks::all);
  p.compression = client::parse_compression(o.compression).value_or(client::CompressionType::none);
  return p;
}

client::ConsumerOptions consumer_options(const ClientBenchOptions& o) {
  client::ConsumerOptions c;
  c.connection.bootstrap = o.broker;
  c.enable_auto_commit = false;
  c.max_poll_records = 10000;
  return c;
}

Status ensure_topic(const ClientBenchOptions& options) {
  client::AdminOptions admin_options;
  admin_options.connection.bootstrap = options.broker;
  STRATA_TRY_ASSIGN(auto admin, client::Admin::create(admin_options));
  Status st = admin->create_topic(options.topic, options.partitions);
  if (st.ok() || st.code() == ErrorCode::already_exists) return Status::ok_status();
  return st;
}

Result<std::vector<TopicPartition>> topic_partitions(const ClientBenchOptions& options) {
  client::AdminOptions admin_options;
  admin_options.connection.bootstrap = options.broker;
  STRATA_TRY_ASSIGN(auto admin, client::Admin::create(admin_options));
  STRATA_TRY_ASSIGN(client::TopicDescription d, admin->describe_topic(options.topic));
  std::vector<TopicPartition> out;
  for (const auto& p : d.partitions) out.push_back({options.topic, p.partition});
  return out;
}

std::string format_client_result_line(const ClientBenchResult& r) {
  const ClientBenchOptions& o = r.options;
  char buf[768];
  std::snprintf(buf, sizeof(buf),
                "strata-bench %s topic=%s partitions=%d message_bytes=%zu producers=%d acks=%s "
                "compression=%s linger_ms=%d batch_bytes=%zu max_in_flight=%d rate=%.0f records=%llu "
                "errors=%llu "
                "elapsed_s=%.3f records_per_s=%.0f mb_per_s=%.1f p50_us=%.0f p99_us=%.0f "
                "p999_us=%.0f max_us=%.0f",
                r.mode.c_str(), o.topic.c_str(), o.partitions, o.message_bytes, o.producers,
                o.acks.c_str(), o.compression.c_str(), o.linger_ms, o.batch_bytes, o.max_in_flight,
                r.mode == "e2e" ? o.rate : 0.0, static_cast<unsigned long long>(r.records),
                static_cast<unsigned long long>(r.errors), r.elapsed_s, r.records_per_s(),
                r.mb_per_s(), r.latency.p50_us, r.latency.p99_us, r.latency.p999_us,
                r.latency.max_us);
  std::string line = buf;
  if (r.mode == "e2e") {
    std::snprintf(buf, sizeof(buf), " ack_p50_us=%.0f ack_p99_us=%.0f ack_max_us=%.0f",
                  r.ack_latency.p50_us, r.ack_latency.p99_us, r.ack_latency.max_us);
    line += buf;
  }
  return line;
}

std::string format_client_result_table(const ClientBenchResult& r) {
  char buf[1024];
  const char* latency_what = r.mode == "produce" ? "send-to-ack latency"
                             : r.mode == "e2e"   ? "end-to-end latency"
                                                 : "";
  int n = std::snprintf(buf, sizeof(buf),
                        "  %-22s %s on %s, %zu B values, acks=%s, compression=%s\n"
                        "  %-22s %.0f records/s, %.1f MB/s (%llu records in %.2f s, %llu errors)\n",
                        "run", r.mode.c_str(), r.options.topic.c_str(), r.options.message_bytes,
                        r.options.acks.c_str(), r.options.compression.c_str(), "throughput",
                        r.records_per_s(), r.mb_per_s(), static_cast<unsigned long long>(r.records),
                        r.elapsed_s, static_cast<unsigned long long>(r.errors));
  std::string out(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  if (*latency_what != '\0') {
    n = std::snprintf(buf, sizeof(buf), "  %-22s p50 %.0f  p99 %.0f  p99.9 %.0f  max %.0f (us)\n",
                      latency_what, r.latency.p50_us, r.latency.p99_us, r.latency.p999_us,
                      r.latency.max_us);
    out.append(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  }
  return out;
}

}  // namespace strata::bench
