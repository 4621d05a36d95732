#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>

#include "common/ids.h"
#include "common/record_batch.h"
#include "common/result.h"

namespace strata::storage {
class PartitionLog;
}

namespace strata::broker {

// One appended batch of an idempotent producer: its sequence range and where
// it landed in the log.
struct ProducerBatch {
  std::int32_t first_sequence = 0;
  std::int32_t last_sequence = 0;
  Offset base_offset;
  Offset last_offset;
};

// The idempotent-producer state of one partition (Kafka's ProducerStateManager,
// reduced): per producer id its epoch and its last kRetainedBatches batches.
// Decides whether an incoming batch is new, a retry of one already written,
// out of order, or from a fenced epoch. Not persisted: rebuilt from the batch
// headers of the log (rebuild()) before its first use after a partition opens.
// Owned by Partition; used on its strand only (one caller at a time).
class ProducerStateTable {
 public:
  // Batches remembered per producer, so that a resent one is recognised.
  // Kafka keeps 5 (ProducerStateEntry.NUM_BATCHES_TO_RETAIN, the Java
  // client's in-flight limit with idempotence); Strata keeps 32, libstrata's
  // in-flight limit with idempotence (kMaxInFlightIdempotent). Kafka clients
  // see no difference: they never have more than 5 in flight.
  static constexpr std::size_t kRetainedBatches = 32;
  // Producers remembered per partition; the least recently used goes first.
  static constexpr std::size_t kMaxProducers = 10000;

  // Checks `header` (producer_id >= 0) against the state. Returns the
  // original batch when `header` repeats one of the retained batches exactly
  // (a retry: acknowledge it with the original offsets, append nothing),
  // nullopt when it is new and may be appended. Errors: fenced (an epoch
  // older than the producer's), out_of_range (a sequence that does not
  // follow the last one, or a newer epoch not starting at 0).
  Result<std::optional<ProducerBatch>> check(const RecordBatchHeader& header) const;
  // Remembers an appended batch (no-op for producer_id < 0).
  void record(const RecordBatchHeader& header, Offset base_offset, Offset last_offset);

  // Replaces the state with what the batch headers of `log` say, from its
  // log start to its end. Blocking: reads the whole log.
  Status rebuild(const storage::PartitionLog& log);
  bool is_loaded() const { return loaded_; }
  // Forgets everything, so the next use rebuilds it (after the log was cut back).
  void invalidate() {
    producers_.clear();
    loaded_ = false;
  }

 private:
  struct Entry {
    std::int16_t epoch = -1;
    std::deque<ProducerBatch> batches;  // oldest first
    std::uint64_t last_use = 0;
  };
  void evict_one();

  std::unordered_map<std::int64_t, Entry> producers_;
  std::uint64_t use_counter_ = 0;
  bool loaded_ = false;
};

// The last sequence number of a batch (sequences wrap from INT32_MAX to 0).
std::int32_t last_sequence_of(const RecordBatchHeader& header);

}  // namespace strata::broker
