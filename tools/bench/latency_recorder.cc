#include "tools/bench/latency_recorder.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace strata::bench {

void LatencyRecorder::merge(const LatencyRecorder& other) {
  samples_ns_.insert(samples_ns_.end(), other.samples_ns_.begin(), other.samples_ns_.end());
}

LatencySummary LatencyRecorder::summarize() const {
  LatencySummary out;
  out.count = samples_ns_.size();
  if (samples_ns_.empty()) return out;
  std::vector<std::int64_t> sorted = samples_ns_;
  std::sort(sorted.begin(), sorted.end());
  const auto rank = [&](double q) {
    // Nearest rank: the smallest sample with at least q of the samples at or below it.
    auto idx = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    idx = std::clamp<std::size_t>(idx, 1, sorted.size()) - 1;
    return static_cast<double>(sorted[idx]) / 1000.0;
  };
  out.p50_us = rank(0.50);
  out.p99_us = rank(0.99);
  out.p999_us = rank(0.999);
  out.max_us = static_cast<double>(sorted.back()) / 1000.0;
  const long double sum = std::accumulate(sorted.begin(), sorted.end(), 0.0L);
  out.mean_us = static_cast<double>(sum / static_cast<long double>(sorted.size())) / 1000.0;
  return out;
}

}  // namespace strata::bench
