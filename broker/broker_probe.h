#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace prometheus {
class Counter;
class Histogram;
class Registry;
}  // namespace prometheus

namespace strata::broker {

// The broker's request metrics: per-API request counts and latency
// histograms (strata_requests_total, strata_request_latency_seconds, labels
// protocol = "native" or "kafka" and api = the RPC or Kafka API name), and
// bytes in/out of record batches (strata_bytes_in_total,
// strata_bytes_out_total), and group-commit flush cycle durations
// (strata_flush_cycle_seconds). Registered with the broker's registry at
// construction; any thread may record.
class BrokerProbe {
 public:
  // Which listener a request came in on.
  enum class Protocol { native, kafka };

  explicit BrokerProbe(prometheus::Registry& registry);

  // Counts one request of `api` (an RPC name, or a Kafka API name such as
  // "Produce" or "ApiVersions") that took `seconds`. Names the protocol does
  // not have are counted as "other".
  void observe_request(std::string_view api, double seconds, Protocol protocol = Protocol::native);
  void add_bytes_in(std::uint64_t bytes);
  void add_bytes_out(std::uint64_t bytes);
  // One group-commit cycle of the data dir's Flusher (storage::Flusher):
  // strata_flush_cycle_seconds, the time to fdatasync every log that had
  // pending durable appends, which acks=all answers wait for.
  void observe_flush_cycle(double seconds);

 private:
  struct Api {
    prometheus::Counter* requests;
    prometheus::Histogram* latency;
  };
  using ApiMap = std::map<std::string, Api, std::less<>>;
  // By Protocol; built in the constructor, then read-only.
  std::array<ApiMap, 2> apis_;
  prometheus::Counter* bytes_in_;
  prometheus::Counter* bytes_out_;
  prometheus::Histogram* flush_cycle_;
};

}  // namespace strata::broker
