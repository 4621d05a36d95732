#include "common/record_batch_reader.h"

#include <algorithm>
#include <optional>
#include <string>

#include "common/compression.h"
#include "common/varint.h"

namespace strata {

namespace {

// The smallest record body: attributes, timestamp delta, offset delta, key
// length, value length and header count, one byte each.
constexpr std::int32_t kMinRecordBodyBytes = 6;
// The smallest encoded record, length varint included; bounds reservations.
constexpr std::size_t kMinRecordBytes = kMinRecordBodyBytes + 1;
// The smallest header: key length and value length.
constexpr std::size_t kMinHeaderBytes = 2;

// Reads the fields of one record's body; every read checks what is left.
class RecordBodyCursor {
 public:
  explicit RecordBodyCursor(ByteSpan body) : body_(body) {}

  std::size_t remaining() const { return body_.size() - pos_; }

  Result<std::int8_t> read_int8() {
    if (remaining() < 1) return corruption_error("record truncated");
    return static_cast<std::int8_t>(body_[pos_++]);
  }
  Result<std::int32_t> read_varint() { return strata::read_varint(body_, pos_); }
  Result<std::int64_t> read_varlong() { return strata::read_varlong(body_, pos_); }

  // A length-prefixed byte string; length -1 is null.
  Result<std::optional<Buffer>> read_nullable_bytes(const char* what) {
    STRATA_TRY_ASSIGN(std::int32_t length, read_varint());
    if (length == -1) return std::optional<Buffer>();
    STRATA_TRY_ASSIGN(ByteSpan bytes, take(length, what));
    return std::optional<Buffer>(Buffer(bytes.begin(), bytes.end()));
  }

  Result<std::string> read_string(const char* what) {
    STRATA_TRY_ASSIGN(std::int32_t length, read_varint());
    STRATA_TRY_ASSIGN(ByteSpan bytes, take(length, what));
    return std::string(as_string_view(bytes));
  }

 private:
  Result<ByteSpan> take(std::int32_t length, const char* what) {
    if (length < 0) {
      return corruption_error(std::string(what) + " length " + std::to_string(length) +
                              " is negative");
    }
    if (static_cast<std::size_t>(length) > remaining()) {
      return corruption_error(std::string(what) + " length " + std::to_string(length) +
                              " runs past the record (" + std::to_string(remaining()) +
                              " bytes left)");
    }
    ByteSpan out = body_.subspan(pos_, static_cast<std::size_t>(length));
    pos_ += out.size();
    return out;
  }

  ByteSpan body_;
  std::size_t pos_ = 0;
};

Result<std::vector<RecordHeader>> read_headers(RecordBodyCursor& cursor) {
  STRATA_TRY_ASSIGN(std::int32_t count, cursor.read_varint());
  if (count < 0) return corruption_error("header count " + std::to_string(count) + " is negative");
  if (static_cast<std::size_t>(count) > cursor.remaining() / kMinHeaderBytes) {
    return corruption_error("header count " + std::to_string(count) + " exceeds the record");
  }
  std::vector<RecordHeader> headers;
  headers.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) {
    RecordHeader h;
    STRATA_TRY_ASSIGN(h.key, cursor.read_string("header key"));
    STRATA_TRY_ASSIGN(h.value, cursor.read_nullable_bytes("header value"));
    headers.push_back(std::move(h));
  }
  return headers;
}

// Decodes the record whose body is `body`. `previous_delta` is the offset
// delta of the record before it (-1 for the first).
Result<Record> read_record(ByteSpan body, const RecordBatchHeader& header,
                           std::int32_t previous_delta) {
  RecordBodyCursor cursor(body);
  STRATA_TRY(cursor.read_int8().status());  // record attributes: unused
  STRATA_TRY_ASSIGN(std::int64_t timestamp_delta, cursor.read_varlong());
  STRATA_TRY_ASSIGN(std::int32_t offset_delta, cursor.read_varint());
  if (offset_delta <= previous_delta || offset_delta > header.last_offset_delta) {
    return corruption_error("offset delta " + std::to_string(offset_delta) + " out of order (after " +
                            std::to_string(previous_delta) + ", last " +
                            std::to_string(header.last_offset_delta) + ")");
  }
  Record record;
  std::int64_t offset = 0;
  if (__builtin_add_overflow(header.base_offset.value(), std::int64_t{offset_delta}, &offset)) {
    return corruption_error("offset overflows: base offset " +
                            std::to_string(header.base_offset.value()));
  }
  record.offset = Offset(offset);
  // Timestamps wrap like Java's long arithmetic, as the builder's deltas do.
  record.timestamp = header.has_log_append_time()
                         ? header.max_timestamp
                         : static_cast<std::int64_t>(static_cast<std::uint64_t>(header.base_timestamp) +
                                                     static_cast<std::uint64_t>(timestamp_delta));
  STRATA_TRY_ASSIGN(record.key, cursor.read_nullable_bytes("key"));
  STRATA_TRY_ASSIGN(record.value, cursor.read_nullable_bytes("value"));
  STRATA_TRY_ASSIGN(record.headers, read_headers(cursor));
  if (cursor.remaining() != 0) {
    return corruption_error(std::to_string(cursor.remaining()) + " bytes left over in the record");
  }
  return record;
}

Result<std::vector<Record>> read_records_section(ByteSpan section, const RecordBatchHeader& header) {
  std::vector<Record> records;
  const auto count = static_cast<std::size_t>(header.record_count);
  records.reserve(std::min(count, section.size() / kMinRecordBytes));
  std::size_t pos = 0;
  std::int32_t previous_delta = -1;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string where = "record " + std::to_string(i) + " of " + std::to_string(count);
    if (pos == section.size()) return corruption_error(where + " is missing");
    Result<std::int32_t> length = read_varint(section, pos);
    if (!length.ok()) return length.status().with_context(where);
    if (*length < kMinRecordBodyBytes ||
        static_cast<std::size_t>(*length) > section.size() - pos) {
      return corruption_error(where + ": length " + std::to_string(*length) + " with " +
                              std::to_string(section.size() - pos) + " bytes left");
    }
    Result<Record> record =
        read_record(section.subspan(pos, static_cast<std::size_t>(*length)), header, previous_delta);
    if (!record.ok()) return record.status().with_context(where);
    previous_delta = static_cast<std::int32_t>(record->offset - header.base_offset);
    pos += static_cast<std::size_t>(*length);
    records.push_back(std::move(record).value());
  }
  if (pos != section.size()) {
    return corruption_error(std::to_string(section.size() - pos) + " bytes after the last of " +
                            std::to_string(count) + " records");
  }
  return records;
}

}  // namespace

Result<std::vector<Record>> read_records(const RecordBatchView& batch,
                                         const RecordReadOptions& options) {
  const RecordBatchHeader& header = batch.header();
  const std::string subject = "record batch at offset " + std::to_string(header.base_offset.value());
  Result<std::vector<Record>> records = [&]() -> Result<std::vector<Record>> {
    if (header.compression() == Compression::none) {
      if (batch.records_section().size() > options.max_uncompressed_bytes) {
        return too_large_error("records section of " +
                               std::to_string(batch.records_section().size()) +
                               " bytes exceeds the limit");
      }
      return read_records_section(batch.records_section(), header);
    }
    STRATA_TRY_ASSIGN(Buffer section, decompress(header.compression(), batch.records_section(),
                                                 options.max_uncompressed_bytes));
    return read_records_section(section, header);
  }();
  if (!records.ok()) return records.status().with_context(subject);
  return records;
}

}  // namespace strata
