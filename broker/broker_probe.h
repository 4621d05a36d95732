#pragma once

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
// histograms (strata_requests_total, strata_request_latency_seconds, label
// api = the RPC name), and bytes in/out of record batches
// (strata_bytes_in_total, strata_bytes_out_total). Registered with the
// broker's registry at construction; any thread may record.
class BrokerProbe {
 public:
  explicit BrokerProbe(prometheus::Registry& registry);

  // Counts one request of `api` (an RPC name) that took `seconds`.
  // Unknown names are counted as "other".
  void observe_request(std::string_view api, double seconds);
  void add_bytes_in(std::uint64_t bytes);
  void add_bytes_out(std::uint64_t bytes);

 private:
  struct Api {
    prometheus::Counter* requests;
    prometheus::Histogram* latency;
  };
  std::map<std::string, Api, std::less<>> apis_;  // built in the constructor, then read-only
  prometheus::Counter* bytes_in_;
  prometheus::Counter* bytes_out_;
};

}  // namespace strata::broker
