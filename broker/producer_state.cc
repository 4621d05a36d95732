#include "broker/producer_state.h"

#include <limits>
#include <string>

#include "storage/partition_log.h"

namespace strata::broker {
namespace {

constexpr std::int32_t kMaxSequence = std::numeric_limits<std::int32_t>::max();
constexpr std::size_t kRebuildChunkBytes = 1 << 20;

std::int32_t next_sequence(std::int32_t sequence) {
  return sequence == kMaxSequence ? 0 : sequence + 1;
}

}  // namespace

std::int32_t last_sequence_of(const RecordBatchHeader& header) {
  const std::int64_t last =
      static_cast<std::int64_t>(header.base_sequence) + header.last_offset_delta;
  if (last <= kMaxSequence) return static_cast<std::int32_t>(last);
  return static_cast<std::int32_t>(last - kMaxSequence - 1);
}

Result<std::optional<ProducerBatch>> ProducerStateTable::check(
    const RecordBatchHeader& header) const {
  const auto it = producers_.find(header.producer_id);
  // No state (new, or forgotten): any sequence is accepted, as in Kafka.
  if (it == producers_.end() || it->second.batches.empty()) return std::optional<ProducerBatch>();
  const Entry& entry = it->second;
  const std::string who = "producer " + std::to_string(header.producer_id);
  if (header.producer_epoch < entry.epoch) {
    return Status(ErrorCode::fenced, who + ": epoch " + std::to_string(header.producer_epoch) +
                                         " is older than " + std::to_string(entry.epoch));
  }
  if (header.producer_epoch > entry.epoch) {
    if (header.base_sequence != 0) {
      return out_of_range_error(who + ": new epoch " + std::to_string(header.producer_epoch) +
                                " starts at sequence " + std::to_string(header.base_sequence) +
                                ", not 0");
    }
    return std::optional<ProducerBatch>();
  }
  // Duplicates first (Redpanda #3039): a retry of a written batch is not out of order.
  const std::int32_t last = last_sequence_of(header);
  for (const ProducerBatch& batch : entry.batches) {
    if (batch.first_sequence == header.base_sequence && batch.last_sequence == last) {
      return std::optional<ProducerBatch>(batch);
    }
  }
  const std::int32_t expected = next_sequence(entry.batches.back().last_sequence);
  if (header.base_sequence != expected) {
    return out_of_range_error(who + ": sequence " + std::to_string(header.base_sequence) +
                              " is out of order, expected " + std::to_string(expected));
  }
  return std::optional<ProducerBatch>();
}

void ProducerStateTable::record(const RecordBatchHeader& header, Offset base_offset,
                                Offset last_offset) {
  if (header.producer_id < 0) return;
  auto [it, inserted] = producers_.try_emplace(header.producer_id);
  Entry& entry = it->second;
  if (header.producer_epoch != entry.epoch) {
    entry.epoch = header.producer_epoch;
    entry.batches.clear();
  }
  entry.batches.push_back(
      ProducerBatch{header.base_sequence, last_sequence_of(header), base_offset, last_offset});
  if (entry.batches.size() > kRetainedBatches) entry.batches.pop_front();
  entry.last_use = ++use_counter_;
  if (inserted && producers_.size() > kMaxProducers) evict_one();
}

void ProducerStateTable::evict_one() {
  auto oldest = producers_.begin();
  for (auto it = producers_.begin(); it != producers_.end(); ++it) {
    if (it->second.last_use < oldest->second.last_use) oldest = it;
  }
  if (oldest != producers_.end()) producers_.erase(oldest);
}

Status ProducerStateTable::rebuild(const storage::PartitionLog& log) {
  producers_.clear();
  Offset position = log.log_start_offset();
  const Offset end = log.log_end_offset();
  // Each round advances by at least one batch, so the loop ends at `end`.
  while (position < end) {
    STRATA_TRY_ASSIGN(Buffer chunk, log.read(position, kRebuildChunkBytes, end));
    if (chunk.empty()) break;
    std::size_t pos = 0;
    const Offset before = position;
    while (pos < chunk.size()) {
      auto header = parse_batch_header(ByteSpan(chunk).subspan(pos));
      if (!header.ok() || header->size_bytes() > chunk.size() - pos) break;
      if (header->producer_id >= 0 && !header->is_control()) {
        record(*header, header->base_offset, header->last_offset());
      }
      position = header->next_offset();
      pos += header->size_bytes();
    }
    if (position == before) break;
  }
  loaded_ = true;
  return Status::ok_status();
}

}  // namespace strata::broker
