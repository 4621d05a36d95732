#include "common/record_batch_iterator.h"

#include <catch2/catch.hpp>

#include "tests/unit/common/record_batch_test_helpers.h"

using namespace strata;
using namespace strata::test;

namespace {

// Three batches back to back, as a segment or a fetch response holds them.
struct Log {
  Buffer bytes;
  std::vector<std::size_t> ends;  // the end position of each batch
};

Log three_batches() {
  Log log;
  for (int i = 0; i < 3; ++i) {
    RecordBatchOptions options;
    options.base_offset = Offset(i * 10);
    options.compression = i == 1 ? Compression::gzip : Compression::none;
    append(log.bytes, build_batch({make_record(i, text("k"), text(std::string(20 + i * 5, 'v'))),
                                   make_record(i + 1, std::nullopt, text("w"))},
                                  options));
    log.ends.push_back(log.bytes.size());
  }
  return log;
}

// Counts the whole batches next() yields before it stops.
std::size_t count_batches(RecordBatchIterator& it) {
  std::size_t n = 0;
  for (int guard = 0; guard < 100; ++guard) {
    auto batch = it.next();
    REQUIRE(batch.ok());
    if (!*batch) return n;
    ++n;
  }
  FAIL("iterator did not stop");
  return n;
}

}  // namespace

TEST_CASE("iterator yields every batch of a buffer in order", "[common][record_batch]") {
  const Log log = three_batches();
  RecordBatchIterator it(log.bytes);
  for (int i = 0; i < 3; ++i) {
    auto batch = it.next();
    REQUIRE(batch.ok());
    REQUIRE(batch->has_value());
    CHECK((*batch)->header().base_offset == Offset(i * 10));
    CHECK(it.consumed_bytes() == log.ends[static_cast<std::size_t>(i)]);
  }
  auto end = it.next();
  REQUIRE(end.ok());
  CHECK_FALSE(end->has_value());
  CHECK(it.remaining_bytes() == 0);
}

TEST_CASE("iterator stops cleanly at a partial trailing batch cut anywhere",
          "[common][record_batch]") {
  const Log log = three_batches();
  for (std::size_t cut = 0; cut <= log.bytes.size(); ++cut) {
    INFO("cut at " << cut);
    RecordBatchIterator it(ByteSpan(log.bytes).first(cut));
    std::size_t whole = 0;
    std::size_t consumed = 0;
    for (std::size_t end : log.ends) {
      if (end <= cut) {
        ++whole;
        consumed = end;
      }
    }
    CHECK(count_batches(it) == whole);
    CHECK(it.consumed_bytes() == consumed);
    CHECK(it.remaining_bytes() == cut - consumed);
  }
}

TEST_CASE("iterator reports a damaged batch and stays at its start", "[common][record_batch]") {
  Log log = three_batches();
  SECTION("a CRC mismatch in the middle batch") {
    log.bytes[log.ends[0] + 70] ^= std::byte{0x10};
  }
  SECTION("a batch length below the header size") {
    store_be<std::int32_t>(log.bytes.data() + log.ends[0] + batch_layout::kBatchLength, 10);
  }
  SECTION("a wrong magic byte") {
    log.bytes[log.ends[0] + batch_layout::kMagic] = std::byte{1};
  }
  RecordBatchIterator it(log.bytes);
  REQUIRE(it.next().ok());
  auto damaged = it.next();
  CHECK(damaged.status() == ErrorCode::corruption);
  CHECK(it.consumed_bytes() == log.ends[0]);
  CHECK(it.next().status() == ErrorCode::corruption);
}

TEST_CASE("iterator over no bytes yields nothing", "[common][record_batch]") {
  RecordBatchIterator it{ByteSpan{}};
  auto batch = it.next();
  REQUIRE(batch.ok());
  CHECK_FALSE(batch->has_value());
  CHECK(it.consumed_bytes() == 0);
}
