#include "common/record_batch_builder.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "common/compression.h"
#include "common/endian.h"
#include "common/varint.h"

namespace strata {

namespace L = batch_layout;

namespace {

constexpr std::size_t kMaxField = std::numeric_limits<std::int32_t>::max();
// The records section may hold at most what batch_length (an int32) can count.
constexpr std::size_t kMaxRecordsSection = kMaxField - (L::kHeaderSize - L::kLogOverhead);

// Timestamps wrap like Java's long arithmetic: a delta never overflows.
std::int64_t wrapping_sub(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

std::size_t bytes_field_size(std::optional<ByteSpan> b) {
  if (!b) return varint_size(-1);
  return varint_size(static_cast<std::int32_t>(b->size())) + b->size();
}

std::size_t header_size(const RecordHeader& h) {
  std::optional<ByteSpan> value;
  if (h.value) value = ByteSpan(*h.value);
  return varint_size(static_cast<std::int32_t>(h.key.size())) + h.key.size() +
         bytes_field_size(value);
}

// Everything after the record's length varint.
// Requires: every field under kMaxField bytes.
std::size_t record_body_size(std::int32_t offset_delta, std::int64_t timestamp_delta,
                             std::optional<ByteSpan> key, std::optional<ByteSpan> value,
                             std::span<const RecordHeader> headers) {
  std::size_t n = 1 + varlong_size(timestamp_delta) + varint_size(offset_delta) +
                  bytes_field_size(key) + bytes_field_size(value) +
                  varint_size(static_cast<std::int32_t>(headers.size()));
  for (const RecordHeader& h : headers) n += header_size(h);
  return n;
}

void put_bytes_field(Buffer& out, std::optional<ByteSpan> b) {
  if (!b) {
    put_varint(out, -1);
    return;
  }
  put_varint(out, static_cast<std::int32_t>(b->size()));
  append(out, *b);
}

Status check_field_sizes(std::optional<ByteSpan> key, std::optional<ByteSpan> value,
                         std::span<const RecordHeader> headers) {
  if ((key && key->size() >= kMaxField) || (value && value->size() >= kMaxField) ||
      headers.size() >= kMaxField) {
    return too_large_error("record key, value or header count is 2 GiB or more");
  }
  for (const RecordHeader& h : headers) {
    if (h.key.size() >= kMaxField || (h.value && h.value->size() >= kMaxField)) {
      return too_large_error("record header '" + h.key.substr(0, 64) + "' is 2 GiB or more");
    }
  }
  return Status();
}

std::optional<ByteSpan> optional_span(const std::optional<Buffer>& b) {
  if (!b) return std::nullopt;
  return ByteSpan(*b);
}

}  // namespace

RecordBatchBuilder::RecordBatchBuilder(RecordBatchOptions options) : options_(options) {}

std::size_t RecordBatchBuilder::estimated_size_with(std::int64_t timestamp,
                                                    std::optional<ByteSpan> key,
                                                    std::optional<ByteSpan> value,
                                                    std::span<const RecordHeader> headers) const {
  if (!check_field_sizes(key, value, headers).ok()) return std::numeric_limits<std::size_t>::max();
  const std::int64_t delta = empty() ? 0 : wrapping_sub(timestamp, base_timestamp_);
  const std::size_t body = record_body_size(record_count_, delta, key, value, headers);
  return estimated_size_bytes() + varint_size(static_cast<std::int32_t>(std::min(body, kMaxField))) +
         body;
}

Status RecordBatchBuilder::append(std::int64_t timestamp, std::optional<ByteSpan> key,
                                  std::optional<ByteSpan> value,
                                  std::span<const RecordHeader> headers) {
  STRATA_TRY(check_field_sizes(key, value, headers));
  if (record_count_ == std::numeric_limits<std::int32_t>::max()) {
    return invalid_argument_error("record batch already holds 2^31-1 records");
  }
  const std::int64_t base = empty() ? timestamp : base_timestamp_;
  const std::int64_t delta = wrapping_sub(timestamp, base);
  const std::size_t body = record_body_size(record_count_, delta, key, value, headers);
  if (body >= kMaxField || records_.size() + kMaxVarintBytes + body > kMaxRecordsSection) {
    return too_large_error("record batch would exceed 2 GiB");
  }

  put_varint(records_, static_cast<std::int32_t>(body));
  records_.push_back(std::byte{0});  // record attributes: unused
  put_varlong(records_, delta);
  put_varint(records_, record_count_);  // offset delta
  put_bytes_field(records_, key);
  put_bytes_field(records_, value);
  put_varint(records_, static_cast<std::int32_t>(headers.size()));
  for (const RecordHeader& h : headers) {
    put_varint(records_, static_cast<std::int32_t>(h.key.size()));
    strata::append(records_, as_bytes(h.key));
    put_bytes_field(records_, optional_span(h.value));
  }

  if (empty() || timestamp > max_timestamp_) max_timestamp_ = timestamp;
  base_timestamp_ = base;
  ++record_count_;
  return Status();
}

Status RecordBatchBuilder::append(const Record& record) {
  return append(record.timestamp, optional_span(record.key), optional_span(record.value),
                record.headers);
}

std::int16_t RecordBatchBuilder::attributes() const {
  auto attributes = static_cast<std::int16_t>(options_.compression);
  if (options_.timestamp_type == TimestampType::log_append_time) attributes |= kTimestampTypeLogAppend;
  if (options_.is_transactional) attributes |= kTransactionalFlag;
  if (options_.is_control) attributes |= kControlFlag;
  return attributes;
}

Result<Buffer> RecordBatchBuilder::build() const {
  if (empty()) return invalid_argument_error("record batch has no records");
  Buffer batch(L::kHeaderSize);
  batch.reserve(estimated_size_bytes());
  STRATA_TRY(compress(options_.compression, records_, batch));
  if (batch.size() - L::kLogOverhead > kMaxField) {
    return too_large_error("compressed record batch exceeds 2 GiB");
  }

  std::byte* p = batch.data();
  store_be<std::int64_t>(p + L::kBaseOffset, options_.base_offset.value());
  store_be<std::int32_t>(p + L::kBatchLength, static_cast<std::int32_t>(batch.size() - L::kLogOverhead));
  store_be<std::int32_t>(p + L::kPartitionLeaderEpoch, options_.partition_leader_epoch.value());
  store_be<std::int8_t>(p + L::kMagic, kMagicV2);
  store_be<std::int16_t>(p + L::kAttributes, attributes());
  store_be<std::int32_t>(p + L::kLastOffsetDelta, record_count_ - 1);
  store_be<std::int64_t>(p + L::kBaseTimestamp, base_timestamp_);
  store_be<std::int64_t>(p + L::kMaxTimestamp, max_timestamp_);
  store_be<std::int64_t>(p + L::kProducerId, options_.producer_id.value());
  store_be<std::int16_t>(p + L::kProducerEpoch, options_.producer_epoch);
  store_be<std::int32_t>(p + L::kBaseSequence, options_.base_sequence);
  store_be<std::int32_t>(p + L::kRecordCount, record_count_);
  // The CRC covers attributes..end, so it is written last.
  store_be<std::uint32_t>(p + L::kCrc, compute_batch_crc(batch));
  return batch;
}

void RecordBatchBuilder::clear() {
  records_.clear();
  record_count_ = 0;
  base_timestamp_ = -1;
  max_timestamp_ = -1;
}

}  // namespace strata
