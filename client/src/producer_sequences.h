#pragma once

// The idempotent producer's sequence numbers, and what an answer means for
// the order of a partition's batches.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "client/src/producer_batch.h"
#include "common/ids.h"

namespace strata::client {

// Per partition: the epoch and next sequence to stamp on a new batch, and the
// sequence that follows the last acknowledged batch. The broker appends a
// producer's batches of one partition only in sequence order and answers a
// resent batch with its original offsets, so a batch that failed and is sent
// again lands where it was meant to, before every later batch: order holds
// with many batches in flight, across retries, with no duplicate.
//
// A batch that fails for good leaves a gap no later batch can follow; the
// partition then starts a new epoch at sequence 0 (the broker accepts a new
// epoch that starts at 0), and the batches stamped before it fail too, as
// "not written" (the broker refused them: out of order, or a fenced epoch).
//
// Thread-safe: the sender stamps, the stream readers report answers.
class ProducerSequences {
 public:
  bool has_producer_id() const;
  void set_producer_id(ProducerId id, std::int16_t epoch);

  // Gives a batch sent for the first time its producer id, epoch and
  // sequences, in the order the sender first sends a partition's batches.
  // Requires: has_producer_id().
  void stamp(ProducerBatch& batch);
  // The broker acknowledged the batch.
  void acknowledged(const ProducerBatch& batch);
  // The broker refused the batch as out of order, or as from an older epoch.
  // true: an earlier batch of its partition is still unresolved (in flight,
  // or waiting to be resent): resend this one after it. false: it can never
  // be appended in order; fail it.
  bool should_resend_after_sequence_error(const ProducerBatch& batch) const;
  // The batch failed for good. When it belongs to the partition's current
  // epoch, the partition's next batches start a new epoch at sequence 0.
  void failed(const ProducerBatch& batch);

 private:
  struct PartitionState {
    std::int16_t epoch = 0;
    std::int32_t next_sequence = 0;   // stamped on the next new batch
    std::int32_t acked_sequence = 0;  // follows the last acknowledged batch
  };
  using Key = std::pair<std::string, std::int32_t>;

  mutable std::mutex mu_;
  std::optional<ProducerId> producer_id_;  // guarded by mu_
  std::int16_t base_epoch_ = 0;            // guarded by mu_
  std::map<Key, PartitionState> partitions_;  // guarded by mu_
};

}  // namespace strata::client
