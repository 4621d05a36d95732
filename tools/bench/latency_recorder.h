#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace strata::bench {

// Percentiles of one run's latencies, in microseconds.
struct LatencySummary {
  std::uint64_t count = 0;
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  double max_us = 0;
  double mean_us = 0;
};

// Collects latency samples (nanoseconds) and summarizes them. A plain value
// owned by one benchmark run; not thread-safe (guard it, or keep one per
// thread and merge()). Keeps every sample: a run of minutes is a few MB.
class LatencyRecorder {
 public:
  void record(std::chrono::nanoseconds latency) { samples_ns_.push_back(latency.count()); }
  void merge(const LatencyRecorder& other);
  std::uint64_t count() const { return samples_ns_.size(); }
  // Nearest-rank percentiles over every sample (sorts a copy).
  LatencySummary summarize() const;

 private:
  std::vector<std::int64_t> samples_ns_;
};

}  // namespace strata::bench
