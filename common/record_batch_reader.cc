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
  Result<std::optional<ByteSpan>> read_nullable_bytes(const char* what) {
    STRATA_TRY_ASSIGN(std::int32_t length, read_varint());
    if (length == -1) return std::optional<ByteSpan>();
    STRATA_TRY_ASSIGN(ByteSpan bytes, take(length, what));
    return std::optional<ByteSpan>(bytes);
  }

  Result<std::string_view> read_string(const char* what) {
    STRATA_TRY_ASSIGN(std::int32_t length, read_varint());
    STRATA_TRY_ASSIGN(ByteSpan bytes, take(length, what));
    return as_string_view(bytes);
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

// Reads the headers into `out` (cleared first; its capacity is reused).
Status read_headers(RecordBodyCursor& cursor, std::vector<RecordHeaderView>& out) {
  STRATA_TRY_ASSIGN(std::int32_t count, cursor.read_varint());
  if (count < 0) return corruption_error("header count " + std::to_string(count) + " is negative");
  if (static_cast<std::size_t>(count) > cursor.remaining() / kMinHeaderBytes) {
    return corruption_error("header count " + std::to_string(count) + " exceeds the record");
  }
  out.clear();
  out.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) {
    RecordHeaderView h;
    STRATA_TRY_ASSIGN(h.key, cursor.read_string("header key"));
    STRATA_TRY_ASSIGN(h.value, cursor.read_nullable_bytes("header value"));
    out.push_back(h);
  }
  return Status();
}

// Decodes the record whose body is `body` into `record`, its headers into
// `headers`. `previous_delta` is the offset delta of the record before it
// (-1 for the first).
Status read_record(ByteSpan body, const RecordBatchHeader& header, std::int32_t previous_delta,
                   RecordView& record, std::vector<RecordHeaderView>& headers) {
  RecordBodyCursor cursor(body);
  STRATA_TRY(cursor.read_int8().status());  // record attributes: unused
  STRATA_TRY_ASSIGN(std::int64_t timestamp_delta, cursor.read_varlong());
  STRATA_TRY_ASSIGN(std::int32_t offset_delta, cursor.read_varint());
  if (offset_delta <= previous_delta || offset_delta > header.last_offset_delta) {
    return corruption_error("offset delta " + std::to_string(offset_delta) + " out of order (after " +
                            std::to_string(previous_delta) + ", last " +
                            std::to_string(header.last_offset_delta) + ")");
  }
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
  STRATA_TRY(read_headers(cursor, headers));
  record.headers = headers;
  if (cursor.remaining() != 0) {
    return corruption_error(std::to_string(cursor.remaining()) + " bytes left over in the record");
  }
  return Status();
}

std::string record_position(std::size_t i, std::size_t count) {
  return "record " + std::to_string(i) + " of " + std::to_string(count);
}

// Decodes `section` record by record into `visit`; sets `visitor_failed`
// when the error returned is the visitor's own.
Status visit_records_section(ByteSpan section, const RecordBatchHeader& header,
                             const RecordVisitor& visit, bool& visitor_failed) {
  const auto count = static_cast<std::size_t>(header.record_count);
  std::vector<RecordHeaderView> headers;
  RecordView record;
  std::size_t pos = 0;
  std::int32_t previous_delta = -1;
  for (std::size_t i = 0; i < count; ++i) {
    if (pos == section.size()) return corruption_error(record_position(i, count) + " is missing");
    Result<std::int32_t> length = read_varint(section, pos);
    if (!length.ok()) return length.status().with_context(record_position(i, count));
    if (*length < kMinRecordBodyBytes ||
        static_cast<std::size_t>(*length) > section.size() - pos) {
      return corruption_error(record_position(i, count) + ": length " + std::to_string(*length) +
                              " with " + std::to_string(section.size() - pos) + " bytes left");
    }
    Status read = read_record(section.subspan(pos, static_cast<std::size_t>(*length)), header,
                              previous_delta, record, headers);
    if (!read.ok()) return read.with_context(record_position(i, count));
    previous_delta = static_cast<std::int32_t>(record.offset - header.base_offset);
    pos += static_cast<std::size_t>(*length);
    if (Status visited = visit(record); !visited.ok()) {
      visitor_failed = true;
      return visited;
    }
  }
  if (pos != section.size()) {
    return corruption_error(std::to_string(section.size() - pos) + " bytes after the last of " +
                            std::to_string(count) + " records");
  }
  return Status();
}

std::optional<Buffer> to_buffer_opt(const std::optional<ByteSpan>& bytes) {
  if (!bytes) return std::nullopt;
  return Buffer(bytes->begin(), bytes->end());
}

}  // namespace

Status for_each_record(const RecordBatchView& batch, const RecordVisitor& visit,
                       const RecordReadOptions& options, Buffer* decompressed) {
  const RecordBatchHeader& header = batch.header();
  bool visitor_failed = false;
  Status status = [&]() -> Status {
    if (header.compression() == Compression::none) {
      if (batch.records_section().size() > options.max_uncompressed_bytes) {
        return too_large_error("records section of " +
                               std::to_string(batch.records_section().size()) +
                               " bytes exceeds the limit");
      }
      return visit_records_section(batch.records_section(), header, visit, visitor_failed);
    }
    Buffer local;
    Buffer& section = decompressed ? *decompressed : local;
    STRATA_TRY_ASSIGN(section, decompress(header.compression(), batch.records_section(),
                                          options.max_uncompressed_bytes));
    return visit_records_section(section, header, visit, visitor_failed);
  }();
  if (status.ok() || visitor_failed) return status;
  return status.with_context("record batch at offset " + std::to_string(header.base_offset.value()));
}

Result<std::vector<Record>> read_records(const RecordBatchView& batch,
                                         const RecordReadOptions& options) {
  std::vector<Record> records;
  records.reserve(std::min(static_cast<std::size_t>(batch.header().record_count),
                           batch.records_section().size() / kMinRecordBytes));
  STRATA_TRY(for_each_record(
      batch,
      [&](const RecordView& view) {
        Record& record = records.emplace_back();
        record.offset = view.offset;
        record.timestamp = view.timestamp;
        record.key = to_buffer_opt(view.key);
        record.value = to_buffer_opt(view.value);
        record.headers.reserve(view.headers.size());
        for (const RecordHeaderView& h : view.headers) {
          record.headers.push_back(RecordHeader{std::string(h.key), to_buffer_opt(h.value)});
        }
        return Status();
      },
      options));
  return records;
}

}  // namespace strata
