#include "common/record_batch_reader.h"

#include <catch2/catch.hpp>
#include <limits>

#include "common/compression.h"
#include "common/varint.h"
#include "tests/unit/common/record_batch_test_helpers.h"

using namespace strata;
using namespace strata::test;

namespace {

constexpr Compression kAllCodecs[] = {Compression::none, Compression::gzip, Compression::snappy,
                                      Compression::lz4, Compression::zstd};

// Test vectors from an independent client (IBM/sarama's record_test.go): one
// record, key {1,2,3,4}, value {5,6,7}, header {8,9,10}={11,12}, timestamp
// delta 5 ms, each batch with its CRC32C as that client computed it.
Buffer sarama_batch(int batch_length, std::initializer_list<int> crc, int codec,
                    std::initializer_list<int> section) {
  Buffer b = bytes_of({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, batch_length, 0, 0, 0, 0, 2});
  append(b, bytes_of(crc));
  append(b, bytes_of({0, codec, 0, 0, 0, 0, 0, 0, 1, 88, 141, 205, 89, 56}));
  append(b, Buffer(8 + 8 + 2 + 4, std::byte{0}));  // max timestamp, producer id/epoch, sequence
  append(b, bytes_of({0, 0, 0, 1}));
  append(b, bytes_of(section));
  return b;
}

Buffer sarama_uncompressed() {
  return sarama_batch(70, {84, 121, 97, 253}, 0,
                      {40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12});
}
Buffer sarama_gzip() {
  return sarama_batch(95, {231, 74, 206, 165}, 1,
                      {31, 139, 8, 0, 0, 9, 110, 136, 0, 255, 0, 21, 0, 234, 255, 40,
                       0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4,
                       11, 12, 3, 0, 173, 201, 88, 103, 21, 0, 0, 0});
}
Buffer sarama_raw_snappy() {
  return sarama_batch(72, {21, 0, 159, 97}, 2,
                      {21, 80, 40, 0, 10, 0, 8, 1, 2, 3, 4, 6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12});
}
Buffer sarama_lz4() {
  return sarama_batch(89, {169, 74, 119, 197}, 3,
                      {4, 34, 77, 24, 100, 112, 185, 21, 0, 0, 128, 40, 0, 10, 0, 8, 1, 2, 3, 4,
                       6, 5, 6, 7, 2, 6, 8, 9, 10, 4, 11, 12, 0, 0, 0, 0, 12, 59, 239, 146});
}

Result<std::vector<Record>> decode(ByteSpan batch, RecordReadOptions options = {}) {
  STRATA_TRY_ASSIGN(RecordBatchView view, RecordBatchView::validate(batch));
  return read_records(view, options);
}

Status decode_status(ByteSpan batch) { return decode(batch).status(); }

// One hand-encoded record: the body after its length varint.
Buffer record_body(std::int32_t offset_delta, std::int32_t key_length, ByteSpan key_bytes,
                   std::int32_t header_count = 0) {
  Buffer body{std::byte{0}};  // attributes
  put_varlong(body, 0);       // timestamp delta
  put_varint(body, offset_delta);
  put_varint(body, key_length);
  append(body, key_bytes);
  put_varint(body, -1);  // null value
  put_varint(body, header_count);
  return body;
}

Buffer framed(const Buffer& body) {
  Buffer out;
  put_varint(out, static_cast<std::int32_t>(body.size()));
  append(out, body);
  return out;
}

}  // namespace

TEST_CASE("reader decodes another client's batches with their CRCs", "[common][record_batch]") {
  const Record expected = [] {
    Record r = make_record(1479847795005, bytes_of({1, 2, 3, 4}), bytes_of({5, 6, 7}),
                           {RecordHeader{"\x08\x09\x0a", bytes_of({11, 12})}});
    r.offset = Offset(0);
    return r;
  }();
  for (const Buffer& batch : {sarama_uncompressed(), sarama_gzip(), sarama_raw_snappy(), sarama_lz4()}) {
    auto records = decode(batch);
    INFO(records.status().to_string());
    REQUIRE(records.ok());
    REQUIRE(records->size() == 1);
    CHECK(records->front() == expected);
  }
}

TEST_CASE("a batch cut at any length is refused cleanly", "[common][record_batch]") {
  for (Compression codec : kAllCodecs) {
    INFO(to_string(codec));
    RecordBatchOptions options;
    options.compression = codec;
    const Buffer batch = build_batch({make_record(1, text("k1"), text("value one")),
                                      make_record(2, std::nullopt, text("value two")),
                                      make_record(3, text("k3"), std::nullopt,
                                                  {RecordHeader{"h", text("x")}})},
                                     options);
    REQUIRE(decode(batch).ok());
    for (std::size_t n = 0; n < batch.size(); ++n) {
      REQUIRE(decode_status(ByteSpan(batch).first(n)) == ErrorCode::corruption);
    }
  }
}

TEST_CASE("a batch with any byte flipped is refused or decodes without harm",
          "[common][record_batch]") {
  namespace L = batch_layout;
  for (Compression codec : kAllCodecs) {
    INFO(to_string(codec));
    RecordBatchOptions options;
    options.compression = codec;
    const Buffer batch = build_batch({make_record(100, text("key"), text("a value")),
                                      make_record(90, std::nullopt, text("")),
                                      make_record(200, text(""), std::nullopt,
                                                  {RecordHeader{"h", std::nullopt}})},
                                     options);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      for (std::byte mask : {std::byte{0x01}, std::byte{0x80}, std::byte{0xFF}}) {
        INFO("byte " << i << " mask " << static_cast<int>(mask));
        Buffer damaged = batch;
        damaged[i] ^= mask;
        auto records = decode(damaged);
        const bool crc_blind = i < L::kMagic && (i < L::kBatchLength || i >= L::kPartitionLeaderEpoch);
        if (crc_blind) {
          // Base offset and leader epoch are outside the CRC; decoding must
          // still succeed or fail with a Status (an offset may overflow).
          if (records.ok()) REQUIRE(records->size() == 3);
          else REQUIRE(records.status() == ErrorCode::corruption);
        } else {
          REQUIRE(records.status() == ErrorCode::corruption);
        }
      }
    }
  }
}

TEST_CASE("a base offset near the top of the range is refused when records overflow it",
          "[common][record_batch]") {
  Buffer batch = build_batch({make_record(1, text("a"), text("1")), make_record(2, text("b"), text("2"))});
  set_base_offset(batch, Offset(std::numeric_limits<std::int64_t>::max()));
  CHECK(decode_status(batch) == ErrorCode::corruption);
  set_base_offset(batch, Offset(std::numeric_limits<std::int64_t>::max() - 1));
  auto records = decode(batch);
  REQUIRE(records.ok());
  CHECK(records->back().offset == Offset(std::numeric_limits<std::int64_t>::max()));
}

TEST_CASE("records that disagree with the batch header are corruption", "[common][record_batch]") {
  const Buffer one = framed(record_body(0, 1, as_bytes("k")));
  const Buffer two = framed(record_body(1, 1, as_bytes("j")));
  Buffer both = one;
  append(both, two);

  CHECK(decode(batch_with_section(both, 2, 1)).ok());
  SECTION("more records claimed than present") {
    CHECK(decode_status(batch_with_section(one, 2, 1)) == ErrorCode::corruption);
  }
  SECTION("fewer records claimed than present") {
    CHECK(decode_status(batch_with_section(both, 1, 1)) == ErrorCode::corruption);
  }
  SECTION("garbage after the last record") {
    Buffer section = both;
    section.push_back(std::byte{0});
    CHECK(decode_status(batch_with_section(section, 2, 1)) == ErrorCode::corruption);
  }
  SECTION("an offset delta beyond last_offset_delta") {
    CHECK(decode_status(batch_with_section(both, 2, 0)) == ErrorCode::corruption);
  }
  SECTION("offset deltas out of order") {
    Buffer section = two;
    append(section, one);
    CHECK(decode_status(batch_with_section(section, 2, 1)) == ErrorCode::corruption);
  }
  SECTION("no records and no bytes is an empty batch") {
    auto records = decode(batch_with_section({}, 0, 0));
    REQUIRE(records.ok());
    CHECK(records->empty());
  }
}

TEST_CASE("malformed lengths inside a record are corruption", "[common][record_batch]") {
  SECTION("a key length below -1") {
    CHECK(decode_status(batch_with_section(framed(record_body(0, -2, {})), 1, 0)) ==
          ErrorCode::corruption);
  }
  SECTION("a key running past its record") {
    CHECK(decode_status(batch_with_section(framed(record_body(0, 50, as_bytes("short"))), 1, 0)) ==
          ErrorCode::corruption);
  }
  SECTION("a key length of 2^31-1 allocates nothing") {
    CHECK(decode_status(batch_with_section(
              framed(record_body(0, std::numeric_limits<std::int32_t>::max(), {})), 1, 0)) ==
          ErrorCode::corruption);
  }
  SECTION("a record length past the section") {
    Buffer section;
    put_varint(section, 1000);
    append(section, record_body(0, 1, as_bytes("k")));
    CHECK(decode_status(batch_with_section(section, 1, 0)) == ErrorCode::corruption);
  }
  SECTION("a negative record length") {
    Buffer section;
    put_varint(section, -1);
    append(section, record_body(0, 1, as_bytes("k")));
    CHECK(decode_status(batch_with_section(section, 1, 0)) == ErrorCode::corruption);
  }
  SECTION("a record length that leaves bytes unread") {
    Buffer body = record_body(0, 1, as_bytes("k"));
    body.push_back(std::byte{0});
    CHECK(decode_status(batch_with_section(framed(body), 1, 0)) == ErrorCode::corruption);
  }
  SECTION("a negative header count") {
    CHECK(decode_status(batch_with_section(framed(record_body(0, -1, {}, -3)), 1, 0)) ==
          ErrorCode::corruption);
  }
  SECTION("a header count of 2^31-1 allocates nothing") {
    CHECK(decode_status(batch_with_section(
              framed(record_body(0, -1, {}, std::numeric_limits<std::int32_t>::max())), 1, 0)) ==
          ErrorCode::corruption);
  }
  SECTION("a null header key") {
    Buffer body = record_body(0, -1, {}, 1);
    put_varint(body, -1);  // header key length
    put_varint(body, -1);  // header value length
    CHECK(decode_status(batch_with_section(framed(body), 1, 0)) == ErrorCode::corruption);
  }
  SECTION("an over-long varint") {
    Buffer body{std::byte{0}};
    append(body, bytes_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}));
    append(body, bytes_of({0, 1, 1, 0}));
    CHECK(decode_status(batch_with_section(framed(body), 1, 0)) == ErrorCode::corruption);
  }
}

TEST_CASE("a corrupt compressed section under a valid CRC is corruption", "[common][record_batch]") {
  const Buffer records = framed(record_body(0, 1, as_bytes("k")));
  for (Compression codec : {Compression::gzip, Compression::snappy, Compression::lz4,
                            Compression::zstd}) {
    INFO(to_string(codec));
    const auto attributes = static_cast<std::int16_t>(codec);
    Buffer packed;
    REQUIRE(compress(codec, records, packed).ok());
    REQUIRE(decode(batch_with_section(packed, 1, 0, attributes)).ok());
    Buffer cut(packed.begin(), packed.end() - 3);
    CHECK(decode_status(batch_with_section(cut, 1, 0, attributes)) == ErrorCode::corruption);
    CHECK(decode_status(batch_with_section(records, 1, 0, attributes)) == ErrorCode::corruption);
  }
}

TEST_CASE("a batch that inflates past the bound is refused", "[common][record_batch]") {
  // Ten thousand records of 1 KiB of zeros: a few KiB compressed.
  RecordBatchBuilder builder({.compression = Compression::zstd});
  const Buffer zeros(1024);
  for (int i = 0; i < 10000; ++i) REQUIRE(builder.append(i, std::nullopt, zeros).ok());
  auto batch = builder.build();
  REQUIRE(batch.ok());
  REQUIRE(batch->size() < 64 * 1024);
  CHECK(decode(*batch, {.max_uncompressed_bytes = 1024 * 1024}).status() == ErrorCode::too_large);
  CHECK(decode(*batch, {.max_uncompressed_bytes = 16 * 1024 * 1024}).ok());
  RecordBatchBuilder plain;
  REQUIRE(plain.append(1, std::nullopt, zeros).ok());
  CHECK(decode(*plain.build(), {.max_uncompressed_bytes = 100}).status() == ErrorCode::too_large);
}
