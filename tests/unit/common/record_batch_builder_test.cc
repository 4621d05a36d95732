#include "common/record_batch_builder.h"

#include <catch2/catch.hpp>
#include <random>

#include "common/compression.h"
#include "common/record_batch_reader.h"
#include "tests/unit/common/record_batch_test_helpers.h"

using namespace strata;
using namespace strata::test;

namespace {

constexpr Compression kAllCodecs[] = {Compression::none, Compression::gzip, Compression::snappy,
                                      Compression::lz4, Compression::zstd};

// Records covering every field shape: null and empty keys and values,
// headers with null and empty values, timestamps that go up, down and negative.
std::vector<Record> varied_records() {
  return {
      make_record(1'700'000'000'000, text("key-1"), text("value-1")),
      make_record(1'700'000'000'500, std::nullopt, text("no key")),
      make_record(1'699'999'999'000, text("tombstone"), std::nullopt),
      make_record(1'700'000'000'001, text(""), text("")),
      make_record(1'700'000'000'002, std::nullopt, std::nullopt),
      make_record(1'700'000'100'000, text("h"), text("with headers"),
                  {RecordHeader{"trace-id", text("abc123")}, RecordHeader{"null-header", std::nullopt},
                   RecordHeader{"", text("")}}),
      make_record(-5, text("negative ts"), text("v")),
  };
}

std::vector<Record> with_offsets(std::vector<Record> records, std::int64_t base) {
  for (std::size_t i = 0; i < records.size(); ++i) records[i].offset = Offset(base + static_cast<std::int64_t>(i));
  return records;
}

std::vector<Record> read_back(const Buffer& batch) {
  auto view = RecordBatchView::validate(batch);
  INFO(view.status().to_string());
  REQUIRE(view.ok());
  auto records = read_records(*view);
  INFO(records.status().to_string());
  REQUIRE(records.ok());
  return std::move(records).value();
}

}  // namespace

TEST_CASE("builder and reader round trip varied records with every codec",
          "[common][record_batch]") {
  for (Compression codec : kAllCodecs) {
    INFO(to_string(codec));
    RecordBatchOptions options;
    options.compression = codec;
    options.base_offset = Offset(42);
    const std::vector<Record> records = varied_records();
    CHECK(read_back(build_batch(records, options)) == with_offsets(records, 42));
  }
}

TEST_CASE("builder and reader round trip a large batch with every codec",
          "[common][record_batch]") {
  std::mt19937 rng(11);
  std::vector<Record> records;
  for (int i = 0; i < 5000; ++i) {
    Buffer value(static_cast<std::size_t>(rng() % 300));
    for (auto& b : value) b = static_cast<std::byte>('a' + rng() % 8);
    std::vector<RecordHeader> headers;
    if (i % 10 == 0) headers.push_back({"n", to_buffer(std::to_string(i))});
    records.push_back(make_record(1'000'000 + i * 3 - (i % 7), text("user-" + std::to_string(i % 97)),
                                  std::move(value), std::move(headers)));
  }
  for (Compression codec : kAllCodecs) {
    INFO(to_string(codec));
    RecordBatchOptions options;
    options.compression = codec;
    const Buffer batch = build_batch(records, options);
    if (codec != Compression::none) CHECK(batch.size() < build_batch(records).size());
    CHECK(read_back(batch) == with_offsets(records, 0));
  }
}

TEST_CASE("builder writes every header field Kafka expects", "[common][record_batch]") {
  RecordBatchOptions options;
  options.base_offset = Offset(1000);
  options.partition_leader_epoch = LeaderEpoch(7);
  options.producer_id = ProducerId(123456789);
  options.producer_epoch = 3;
  options.base_sequence = 55;
  options.compression = Compression::lz4;
  options.is_transactional = true;
  const std::vector<Record> records = {make_record(5000, text("a"), text("1")),
                                       make_record(4000, text("b"), text("2")),
                                       make_record(9000, text("c"), text("3"))};
  const Buffer batch = build_batch(records, options);

  auto h = parse_batch_header(batch);
  REQUIRE(h.ok());
  CHECK(h->base_offset == Offset(1000));
  CHECK(h->size_bytes() == batch.size());
  CHECK(h->batch_length == static_cast<std::int32_t>(batch.size() - 12));
  CHECK(h->partition_leader_epoch == 7);
  CHECK(h->magic == 2);
  CHECK(h->crc == compute_batch_crc(batch));
  CHECK(h->attributes == (3 | kTransactionalFlag));
  CHECK(h->compression() == Compression::lz4);
  CHECK(h->is_transactional());
  CHECK_FALSE(h->is_control());
  CHECK_FALSE(h->has_log_append_time());
  CHECK(h->last_offset_delta == 2);
  CHECK(h->base_timestamp == 5000);  // the first record's, as the Java client does
  CHECK(h->max_timestamp == 9000);
  CHECK(h->producer_id == 123456789);
  CHECK(h->producer_epoch == 3);
  CHECK(h->base_sequence == 55);
  CHECK(h->record_count == 3);
  CHECK(h->next_offset() == Offset(1003));
  CHECK(RecordBatchView::validate(batch).ok());
}

TEST_CASE("builder sets the control and log-append-time attribute bits",
          "[common][record_batch]") {
  RecordBatchOptions options;
  options.is_control = true;
  options.timestamp_type = TimestampType::log_append_time;
  const Buffer batch = build_batch({make_record(10, text("k"), text("v")),
                                    make_record(30, text("k"), text("v"))},
                                   options);
  auto h = parse_batch_header(batch);
  REQUIRE(h.ok());
  CHECK(h->attributes == (kControlFlag | kTimestampTypeLogAppend));
  // With log-append time every record carries the batch's max timestamp.
  for (const Record& r : read_back(batch)) CHECK(r.timestamp == 30);
}

TEST_CASE("builder encodes a record byte for byte as Kafka's format says",
          "[common][record_batch]") {
  // The record of sarama's "uncompressed record" test vector, with a zero
  // timestamp delta because the builder bases the batch on the first record.
  const Buffer batch = build_batch({make_record(
      1479847795005, bytes_of({1, 2, 3, 4}), bytes_of({5, 6, 7}),
      {RecordHeader{"\x08\x09\x0a", bytes_of({11, 12})}})});
  const Buffer expected_records = bytes_of(
      {40, 0, 0, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12});
  CHECK(Buffer(batch.begin() + 61, batch.end()) == expected_records);
  const Buffer expected_header_tail = bytes_of({
      0, 0, 0, 0,                      // last offset delta
      0, 0, 1, 88, 141, 205, 89, 61,   // base timestamp 1479847795005
      0, 0, 1, 88, 141, 205, 89, 61,   // max timestamp
      255, 255, 255, 255, 255, 255, 255, 255,  // producer id -1
      255, 255,                        // producer epoch -1
      255, 255, 255, 255,              // base sequence -1
      0, 0, 0, 1});                    // record count
  CHECK(Buffer(batch.begin() + 23, batch.begin() + 61) == expected_header_tail);
  CHECK(Buffer(batch.begin(), batch.begin() + 21) ==
        bytes_of({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 70, 255, 255, 255, 255, 2,
                  // CRC32C of the bytes from attributes to the end.
                  static_cast<int>(compute_batch_crc(batch) >> 24),
                  static_cast<int>((compute_batch_crc(batch) >> 16) & 0xFF),
                  static_cast<int>((compute_batch_crc(batch) >> 8) & 0xFF),
                  static_cast<int>(compute_batch_crc(batch) & 0xFF)}));
}

TEST_CASE("estimated size is exact without compression and predicts the next append",
          "[common][record_batch]") {
  RecordBatchBuilder builder;
  CHECK(builder.estimated_size_bytes() == 61);
  const std::vector<Record> records = varied_records();
  for (const Record& r : records) {
    std::optional<ByteSpan> key, value;
    if (r.key) key = ByteSpan(*r.key);
    if (r.value) value = ByteSpan(*r.value);
    const std::size_t predicted = builder.estimated_size_with(r.timestamp, key, value, r.headers);
    REQUIRE(builder.append(r.timestamp, key, value, r.headers).ok());
    CHECK(builder.estimated_size_bytes() == predicted);
  }
  auto batch = builder.build();
  REQUIRE(batch.ok());
  CHECK(batch->size() == builder.estimated_size_bytes());
  CHECK(builder.record_count() == static_cast<std::int32_t>(records.size()));
}

TEST_CASE("an empty builder refuses to build and clear() empties it", "[common][record_batch]") {
  RecordBatchBuilder builder;
  CHECK(builder.build().status() == ErrorCode::invalid_argument);
  REQUIRE(builder.append(1, as_bytes("k"), as_bytes("v")).ok());
  CHECK(builder.build().ok());
  builder.clear();
  CHECK(builder.empty());
  CHECK(builder.build().status() == ErrorCode::invalid_argument);
  REQUIRE(builder.append(7, std::nullopt, as_bytes("again")).ok());
  auto batch = builder.build();
  REQUIRE(batch.ok());
  auto h = parse_batch_header(*batch);
  CHECK(h->base_timestamp == 7);
  CHECK(h->record_count == 1);
}

TEST_CASE("rewriting the base offset keeps the batch valid and moves every record",
          "[common][record_batch]") {
  Buffer batch = build_batch(varied_records());
  set_base_offset(batch, Offset(5000));
  set_partition_leader_epoch(batch, LeaderEpoch(9));
  const std::vector<Record> records = read_back(batch);
  CHECK(records == with_offsets(varied_records(), 5000));
  auto header = parse_batch_header(batch);
  REQUIRE(header.ok());
  CHECK(header->base_offset == Offset(5000));
  CHECK(header->partition_leader_epoch == 9);
}

TEST_CASE("extreme timestamps round trip through wrapping deltas", "[common][record_batch]") {
  const std::vector<Record> records = {
      make_record(std::numeric_limits<std::int64_t>::max(), text("a"), text("1")),
      make_record(std::numeric_limits<std::int64_t>::min(), text("b"), text("2")),
      make_record(0, text("c"), text("3"))};
  CHECK(read_back(build_batch(records)) == with_offsets(records, 0));
}
