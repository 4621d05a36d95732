#include "client/src/producer_sequences.h"

#include <limits>

#include "common/record_batch.h"

namespace strata::client {
namespace {

// Kafka's sequences wrap from INT32_MAX to 0.
std::int32_t advance(std::int32_t sequence, std::int32_t count) {
  const std::int64_t next = static_cast<std::int64_t>(sequence) + count;
  constexpr std::int64_t kWrap = std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1;
  return static_cast<std::int32_t>(next % kWrap);
}

}  // namespace

bool ProducerSequences::has_producer_id() const {
  std::lock_guard lock(mu_);
  return producer_id_.has_value();
}

void ProducerSequences::set_producer_id(ProducerId id, std::int16_t epoch) {
  std::lock_guard lock(mu_);
  producer_id_ = id;
  base_epoch_ = epoch;
  partitions_.clear();
}

void ProducerSequences::stamp(ProducerBatch& batch) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = partitions_.try_emplace(Key{batch.topic, batch.partition});
  PartitionState& state = it->second;
  if (inserted) state.epoch = base_epoch_;
  batch.producer_id = *producer_id_;
  batch.producer_epoch = state.epoch;
  batch.base_sequence = state.next_sequence;
  state.next_sequence = advance(state.next_sequence, batch.builder.record_count());
  set_producer_fields(batch.encoded, batch.producer_id, batch.producer_epoch, batch.base_sequence);
}

void ProducerSequences::acknowledged(const ProducerBatch& batch) {
  std::lock_guard lock(mu_);
  auto it = partitions_.find(Key{batch.topic, batch.partition});
  if (it == partitions_.end() || it->second.epoch != batch.producer_epoch) return;
  it->second.acked_sequence = advance(batch.base_sequence, batch.builder.record_count());
}

bool ProducerSequences::should_resend_after_sequence_error(const ProducerBatch& batch) const {
  std::lock_guard lock(mu_);
  auto it = partitions_.find(Key{batch.topic, batch.partition});
  if (it == partitions_.end() || it->second.epoch != batch.producer_epoch) return false;
  // Its predecessor was acknowledged (or it is the first batch), yet the
  // broker sees a gap: resending cannot close it.
  return batch.base_sequence != it->second.acked_sequence;
}

void ProducerSequences::failed(const ProducerBatch& batch) {
  if (batch.base_sequence < 0) return;  // never stamped: it left no gap
  std::lock_guard lock(mu_);
  auto it = partitions_.find(Key{batch.topic, batch.partition});
  if (it == partitions_.end() || it->second.epoch != batch.producer_epoch) return;
  PartitionState& state = it->second;
  // Epochs are int16 as in Kafka. After 32,767 failed batches on one
  // partition the epoch wraps to 0, which the broker refuses as fenced: the
  // application then needs a new Producer.
  state.epoch = state.epoch == std::numeric_limits<std::int16_t>::max()
                    ? std::int16_t{0}
                    : static_cast<std::int16_t>(state.epoch + 1);
  state.next_sequence = 0;
  state.acked_sequence = 0;
}

}  // namespace strata::client
