#include "common/record_batch.h"

#include <string>

#include "common/crc32c.h"
#include "common/endian.h"

namespace strata {

namespace L = batch_layout;

Result<RecordBatchHeader> parse_batch_header(ByteSpan bytes) {
  if (bytes.size() < L::kHeaderSize) {
    return corruption_error("record batch header truncated: " + std::to_string(bytes.size()) +
                            " of " + std::to_string(L::kHeaderSize) + " bytes");
  }
  const std::byte* p = bytes.data();
  RecordBatchHeader h;
  h.base_offset = Offset(load_be<std::int64_t>(p + L::kBaseOffset));
  h.batch_length = load_be<std::int32_t>(p + L::kBatchLength);
  h.partition_leader_epoch = load_be<std::int32_t>(p + L::kPartitionLeaderEpoch);
  h.magic = load_be<std::int8_t>(p + L::kMagic);
  h.crc = load_be<std::uint32_t>(p + L::kCrc);
  h.attributes = load_be<std::int16_t>(p + L::kAttributes);
  h.last_offset_delta = load_be<std::int32_t>(p + L::kLastOffsetDelta);
  h.base_timestamp = load_be<std::int64_t>(p + L::kBaseTimestamp);
  h.max_timestamp = load_be<std::int64_t>(p + L::kMaxTimestamp);
  h.producer_id = load_be<std::int64_t>(p + L::kProducerId);
  h.producer_epoch = load_be<std::int16_t>(p + L::kProducerEpoch);
  h.base_sequence = load_be<std::int32_t>(p + L::kBaseSequence);
  h.record_count = load_be<std::int32_t>(p + L::kRecordCount);
  if (h.batch_length < static_cast<std::int32_t>(L::kHeaderSize - L::kLogOverhead)) {
    return corruption_error("record batch length " + std::to_string(h.batch_length) +
                            " is below the header size");
  }
  if (h.magic != kMagicV2) {
    return corruption_error("record batch magic " + std::to_string(h.magic) + " is not 2");
  }
  return h;
}

Result<RecordBatchView> RecordBatchView::validate(ByteSpan bytes) {
  STRATA_TRY_ASSIGN(RecordBatchHeader h, parse_batch_header(bytes));
  if (h.size_bytes() > bytes.size()) {
    return corruption_error("record batch truncated: " + std::to_string(bytes.size()) + " of " +
                            std::to_string(h.size_bytes()) + " bytes");
  }
  if ((h.attributes & kCompressionMask) > static_cast<std::int16_t>(Compression::zstd)) {
    return corruption_error("record batch has unknown compression codec " +
                            std::to_string(h.attributes & kCompressionMask));
  }
  if (h.record_count < 0 || h.last_offset_delta < 0 ||
      static_cast<std::int64_t>(h.record_count) > static_cast<std::int64_t>(h.last_offset_delta) + 1) {
    return corruption_error("record batch counts impossible: record_count=" +
                            std::to_string(h.record_count) +
                            " last_offset_delta=" + std::to_string(h.last_offset_delta));
  }
  ByteSpan batch = bytes.first(h.size_bytes());
  std::uint32_t actual = compute_batch_crc(batch);
  if (actual != h.crc) {
    return corruption_error("record batch crc mismatch: stored " + std::to_string(h.crc) +
                            ", computed " + std::to_string(actual));
  }
  return RecordBatchView(h, batch);
}

std::uint32_t compute_batch_crc(ByteSpan batch) { return crc32c(batch.subspan(L::kAttributes)); }

void set_base_offset(std::span<std::byte> batch, Offset base_offset) {
  store_be<std::int64_t>(batch.data() + L::kBaseOffset, base_offset.value());
}

void set_partition_leader_epoch(std::span<std::byte> batch, LeaderEpoch epoch) {
  store_be<std::int32_t>(batch.data() + L::kPartitionLeaderEpoch, epoch.value());
}

void set_producer_fields(std::span<std::byte> batch, ProducerId producer_id,
                         std::int16_t producer_epoch, std::int32_t base_sequence) {
  store_be<std::int64_t>(batch.data() + L::kProducerId, producer_id.value());
  store_be<std::int16_t>(batch.data() + L::kProducerEpoch, producer_epoch);
  store_be<std::int32_t>(batch.data() + L::kBaseSequence, base_sequence);
  store_be<std::uint32_t>(batch.data() + L::kCrc, compute_batch_crc(batch));
}

}  // namespace strata
