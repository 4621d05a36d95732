#pragma once

// Builds one RecordBatch v2 (magic 2) from records. Layout and rules:
// docs/formats/record-batch.md.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/record.h"
#include "common/record_batch.h"
#include "common/result.h"
#include "common/status.h"

namespace strata {

// Which clock a batch's timestamps come from (attribute bit 3).
enum class TimestampType : std::uint8_t { create_time = 0, log_append_time = 1 };

// The batch-level fields of a RecordBatchBuilder. Defaults describe a plain,
// non-idempotent producer's uncompressed batch at offset 0.
struct RecordBatchOptions {
  Offset base_offset{0};  // the broker rewrites it on append
  LeaderEpoch partition_leader_epoch{-1};
  ProducerId producer_id{-1};
  std::int16_t producer_epoch = -1;
  std::int32_t base_sequence = -1;
  Compression compression = Compression::none;
  TimestampType timestamp_type = TimestampType::create_time;
  bool is_transactional = false;
  bool is_control = false;
};

// Accumulates records and encodes them as one batch. A plain value owned by
// its caller (the producer's accumulator, a test); one thread at a time.
// Records get consecutive offsets from options.base_offset in append order;
// the first record's timestamp becomes the batch's base timestamp.
class RecordBatchBuilder {
 public:
  explicit RecordBatchBuilder(RecordBatchOptions options = {});

  // Appends one record (encoded at once, uncompressed). A nullopt key or
  // value is null; an empty span is an empty one. Errors: too_large when a
  // key, value or header is 2 GiB or more, or the batch would pass 2 GiB;
  // invalid_argument when the batch already holds 2^31-1 records. The
  // builder is unchanged on error.
  Status append(std::int64_t timestamp, std::optional<ByteSpan> key,
                std::optional<ByteSpan> value, std::span<const RecordHeader> headers = {});
  // Appends `record`'s timestamp, key, value and headers; its offset is
  // ignored (offsets are assigned in append order).
  Status append(const Record& record);

  std::int32_t record_count() const { return record_count_; }
  bool empty() const { return record_count_ == 0; }

  // The size build() would produce without compression: the header plus the
  // encoded records. Exact for Compression::none; for the codecs an upper
  // estimate (compressed output is usually much smaller), which is what a
  // producer compares against its batch.size / max.request.size.
  std::size_t estimated_size_bytes() const { return batch_layout::kHeaderSize + records_.size(); }
  // estimated_size_bytes() after appending this record, without appending it;
  // SIZE_MAX when append() would refuse the record for its size.
  std::size_t estimated_size_with(std::int64_t timestamp, std::optional<ByteSpan> key,
                                  std::optional<ByteSpan> value,
                                  std::span<const RecordHeader> headers = {}) const;

  // Encodes the batch: header, compressed records section, CRC32C. The
  // builder keeps its records, so build() may be called again. Errors:
  // invalid_argument when no record was appended; internal when the codec
  // fails; too_large when the compressed batch would pass 2 GiB.
  Result<Buffer> build() const;

  // Drops every record; the options stay.
  void clear();

  const RecordBatchOptions& options() const { return options_; }

 private:
  std::int16_t attributes() const;

  RecordBatchOptions options_;
  Buffer records_;  // encoded, uncompressed records
  std::int32_t record_count_ = 0;
  std::int64_t base_timestamp_ = -1;
  std::int64_t max_timestamp_ = -1;
};

}  // namespace strata
