#pragma once

// Small helpers shared by the record-batch codec tests.

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/endian.h"
#include "common/record.h"
#include "common/record_batch.h"
#include "common/record_batch_builder.h"

namespace strata::test {

inline Buffer bytes_of(std::initializer_list<int> values) {
  Buffer out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

inline std::optional<Buffer> text(std::string_view s) { return to_buffer(s); }

inline Record make_record(std::int64_t timestamp, std::optional<Buffer> key,
                          std::optional<Buffer> value, std::vector<RecordHeader> headers = {}) {
  Record r;
  r.timestamp = timestamp;
  r.key = std::move(key);
  r.value = std::move(value);
  r.headers = std::move(headers);
  return r;
}

// Builds one batch of `records` (their offsets are ignored) or fails the test.
inline Buffer build_batch(const std::vector<Record>& records, RecordBatchOptions options = {}) {
  RecordBatchBuilder builder(options);
  for (const Record& r : records) {
    Status s = builder.append(r);
    INFO(s.to_string());
    REQUIRE(s.ok());
  }
  Result<Buffer> batch = builder.build();
  INFO(batch.status().to_string());
  REQUIRE(batch.ok());
  return std::move(batch).value();
}

// A batch whose records section is exactly `section` (already compressed
// when `attributes` names a codec), with consistent lengths and a valid CRC,
// so that only the records themselves are wrong.
inline Buffer batch_with_section(ByteSpan section, std::int32_t record_count,
                                 std::int32_t last_offset_delta, std::int16_t attributes = 0) {
  namespace L = batch_layout;
  Buffer batch(L::kHeaderSize);
  append(batch, section);
  std::byte* p = batch.data();
  store_be<std::int64_t>(p + L::kBaseOffset, 0);
  store_be<std::int32_t>(p + L::kBatchLength, static_cast<std::int32_t>(batch.size() - L::kLogOverhead));
  store_be<std::int32_t>(p + L::kPartitionLeaderEpoch, 0);
  store_be<std::int8_t>(p + L::kMagic, kMagicV2);
  store_be<std::int16_t>(p + L::kAttributes, attributes);
  store_be<std::int32_t>(p + L::kLastOffsetDelta, last_offset_delta);
  store_be<std::int64_t>(p + L::kBaseTimestamp, 1000);
  store_be<std::int64_t>(p + L::kMaxTimestamp, 1000);
  store_be<std::int64_t>(p + L::kProducerId, -1);
  store_be<std::int16_t>(p + L::kProducerEpoch, -1);
  store_be<std::int32_t>(p + L::kBaseSequence, -1);
  store_be<std::int32_t>(p + L::kRecordCount, record_count);
  store_be<std::uint32_t>(p + L::kCrc, compute_batch_crc(batch));
  return batch;
}

inline Buffer from_hex(std::string_view hex) {
  Buffer out;
  int pending = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else continue;
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<std::byte>(pending * 16 + v));
      pending = -1;
    }
  }
  return out;
}

}  // namespace strata::test
