#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace strata::storage {

// Milliseconds since the Unix epoch. Injectable so tests can age segments.
using ClockMs = std::function<std::int64_t()>;

inline std::int64_t system_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Settings of one partition log, with Kafka's defaults and meanings.
struct LogOptions {
  static constexpr std::int64_t kUnlimited = -1;

  // Roll the active segment when an append would take it past this size
  // (segment.bytes). A batch larger than this still goes into a fresh segment.
  // At most 2 GiB - 1 (index positions are 32-bit).
  std::uint64_t segment_bytes = 1ull << 30;
  // Roll the active segment when its first append is this old (segment.ms).
  std::int64_t segment_ms = 7LL * 24 * 3600 * 1000;
  // Delete the oldest closed segment while the log holds at least this many
  // bytes without it (retention.bytes, Kafka's rule); -1 = unlimited.
  std::int64_t retention_bytes = kUnlimited;
  // Delete closed segments whose largest batch max timestamp is older than
  // this (retention.ms); -1 = unlimited.
  std::int64_t retention_ms = 7LL * 24 * 3600 * 1000;
  // Bytes of log between two offset index entries (index.interval.bytes).
  std::uint32_t index_interval_bytes = 4096;
  // Largest accepted batch (max.message.bytes); larger appends fail too_large.
  std::size_t max_batch_bytes = 1048588;
  // true: an append completes only after its bytes are fdatasynced (group
  // commit through the Flusher). false: completions run at once, the OS
  // writes back when it likes (Kafka's default behaviour).
  bool durable = true;
  // Wall clock used for rolling by age and for AppendResult::log_append_time_ms.
  ClockMs clock = system_clock_ms;
};

}  // namespace strata::storage
