#pragma once

// Kafka RecordBatch v2 (magic 2): the unit Strata stores, replicates and
// serves. Layout and rules: docs/formats/record-batch.md.

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/result.h"

namespace strata {

enum class Compression : std::uint8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };

// Byte positions of the v2 batch header fields (all big-endian).
namespace batch_layout {
inline constexpr std::size_t kBaseOffset = 0;            // int64, not covered by the CRC
inline constexpr std::size_t kBatchLength = 8;           // int32: bytes after this field
inline constexpr std::size_t kPartitionLeaderEpoch = 12;  // int32, not covered by the CRC
inline constexpr std::size_t kMagic = 16;                // int8, always 2
inline constexpr std::size_t kCrc = 17;                  // uint32 CRC32C of [kAttributes, end)
inline constexpr std::size_t kAttributes = 21;           // int16
inline constexpr std::size_t kLastOffsetDelta = 23;      // int32
inline constexpr std::size_t kBaseTimestamp = 27;        // int64
inline constexpr std::size_t kMaxTimestamp = 35;         // int64
inline constexpr std::size_t kProducerId = 43;           // int64
inline constexpr std::size_t kProducerEpoch = 51;        // int16
inline constexpr std::size_t kBaseSequence = 53;         // int32
inline constexpr std::size_t kRecordCount = 57;          // int32
inline constexpr std::size_t kHeaderSize = 61;           // records start here
// base offset + batch length: the part of the header batchLength does not count.
inline constexpr std::size_t kLogOverhead = 12;
}  // namespace batch_layout

inline constexpr std::int8_t kMagicV2 = 2;

// Attribute bits.
inline constexpr std::int16_t kCompressionMask = 0x07;
inline constexpr std::int16_t kTimestampTypeLogAppend = 0x08;
inline constexpr std::int16_t kTransactionalFlag = 0x10;
inline constexpr std::int16_t kControlFlag = 0x20;
inline constexpr std::int16_t kDeleteHorizonFlag = 0x40;

// The decoded fixed header of one batch.
struct RecordBatchHeader {
  Offset base_offset;
  std::int32_t batch_length = 0;
  std::int32_t partition_leader_epoch = -1;
  std::int8_t magic = kMagicV2;
  std::uint32_t crc = 0;
  std::int16_t attributes = 0;
  std::int32_t last_offset_delta = 0;
  std::int64_t base_timestamp = 0;
  std::int64_t max_timestamp = 0;
  std::int64_t producer_id = -1;
  std::int16_t producer_epoch = -1;
  std::int32_t base_sequence = -1;
  std::int32_t record_count = 0;

  // Requires: the compression bits name a known codec (validate() checks this).
  Compression compression() const { return static_cast<Compression>(attributes & kCompressionMask); }
  bool is_transactional() const { return (attributes & kTransactionalFlag) != 0; }
  bool is_control() const { return (attributes & kControlFlag) != 0; }
  bool has_log_append_time() const { return (attributes & kTimestampTypeLogAppend) != 0; }
  Offset last_offset() const { return base_offset + last_offset_delta; }
  // The offset the next batch in the log starts at.
  Offset next_offset() const { return base_offset + last_offset_delta + 1; }
  // The batch's whole size in bytes, header included.
  std::size_t size_bytes() const {
    return batch_layout::kLogOverhead + static_cast<std::size_t>(batch_length);
  }
};

// Decodes the fixed header at the start of `bytes` without touching the
// records or the CRC. Errors: corruption when fewer than kHeaderSize bytes
// are given, batch_length is below the header's own size, or magic is not 2.
// The batch may extend past `bytes` (check size_bytes() against it).
Result<RecordBatchHeader> parse_batch_header(ByteSpan bytes);

// A validated batch over borrowed bytes: never copies. Once validate()
// returned it, its framing, magic, attribute bits, counts and CRC are
// trusted. The bytes must outlive the view.
class RecordBatchView {
 public:
  // Validates the batch at the start of `bytes` (which may hold more after
  // it). Errors: corruption when the batch is truncated, its CRC does not
  // match, or a header field is impossible (negative counts, unknown codec,
  // more records than offsets).
  static Result<RecordBatchView> validate(ByteSpan bytes);

  const RecordBatchHeader& header() const { return header_; }
  // The whole batch, header included: header().size_bytes() bytes.
  ByteSpan bytes() const { return bytes_; }
  // The records section, compressed when header().compression() != none.
  ByteSpan records_section() const { return bytes_.subspan(batch_layout::kHeaderSize); }

 private:
  RecordBatchView(RecordBatchHeader header, ByteSpan bytes) : header_(header), bytes_(bytes) {}
  RecordBatchHeader header_;
  ByteSpan bytes_;
};

// The CRC32C a batch's header should carry: over [kAttributes, end).
// Requires: batch.size() >= kHeaderSize.
std::uint32_t compute_batch_crc(ByteSpan batch);

// Rewrite header fields that the CRC does not cover, in place.
// Requires: batch.size() >= kHeaderSize.
void set_base_offset(std::span<std::byte> batch, Offset base_offset);
void set_partition_leader_epoch(std::span<std::byte> batch, LeaderEpoch epoch);

// Rewrites the idempotent-producer fields (producer id, epoch, base
// sequence), which the CRC covers, and then the CRC. The producer stamps a
// batch when it first sends it, after it was encoded (and compressed).
// Requires: batch.size() >= kHeaderSize.
void set_producer_fields(std::span<std::byte> batch, ProducerId producer_id,
                         std::int16_t producer_epoch, std::int32_t base_sequence);

}  // namespace strata
