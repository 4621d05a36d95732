#include "storage/partition_log.h"

#include <catch2/catch.hpp>

#include "common/record_batch.h"
#include "common/record_batch_builder.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/test_batches.h"

namespace strata::storage {
namespace {

using strata::testing::TempDir;
using namespace strata::storage::testing;

std::unique_ptr<PartitionLog> open_log(const std::filesystem::path& dir, LogOptions o) {
  auto log = PartitionLog::open(dir, std::move(o));
  REQUIRE(log.ok());
  return std::move(log).value();
}

TEST_CASE("append assigns consecutive offsets and read returns the same bytes",
          "[storage][partition_log]") {
  TempDir tmp;
  auto log = open_log(tmp / "orders-0", small_log_options());
  CHECK(log->log_start_offset() == Offset(0));
  CHECK(log->log_end_offset() == Offset(0));

  Buffer a = make_batch(3, 50, 100, 1);
  Buffer b = make_batch(5, 20, 200, 2);
  auto ra = log->append(a);
  auto rb = log->append(b);
  REQUIRE(ra.ok());
  REQUIRE(rb.ok());
  CHECK(ra->base_offset == Offset(0));
  CHECK(ra->last_offset == Offset(2));
  CHECK(rb->base_offset == Offset(3));
  CHECK(rb->last_offset == Offset(7));
  CHECK(rb->position == a.size());
  CHECK(log->log_end_offset() == Offset(8));
  CHECK(parse_batch_header(b)->base_offset == Offset(3));  // rewritten in place

  auto got = log->read(Offset(0), 1 << 20);
  REQUIRE(got.ok());
  Buffer both = a;
  append(both, b);
  CHECK(*got == both);
}

TEST_CASE("read starts at the batch holding the offset and returns at least one whole batch",
          "[storage][partition_log]") {
  TempDir tmp;
  auto log = open_log(tmp / "p-0", small_log_options());
  auto batches = append_batches(*log, 4);  // offsets 0-2, 3-5, 6-8, 9-11

  auto mid = log->read(Offset(4), 1);
  REQUIRE(mid.ok());
  CHECK(*mid == batches[1]);  // whole batch although max_bytes is 1

  auto two = log->read(Offset(3), batches[1].size() + batches[2].size() + 10);
  REQUIRE(two.ok());
  CHECK(base_offsets(*two) == std::vector<Offset>{Offset(3), Offset(6)});

  SECTION("nothing at or above the upper bound is returned") {
    auto bounded = log->read(Offset(0), 1 << 20, Offset(6));
    REQUIRE(bounded.ok());
    CHECK(base_offsets(*bounded) == std::vector<Offset>{Offset(0), Offset(3)});
    auto none = log->read(Offset(6), 1 << 20, Offset(6));
    REQUIRE(none.ok());
    CHECK(none->empty());
  }
  SECTION("reading at the log end is empty, past it is out of range with the range named") {
    auto at_end = log->read(Offset(12), 100);
    REQUIRE(at_end.ok());
    CHECK(at_end->empty());
    auto past = log->read(Offset(13), 100);
    REQUIRE(past.status() == ErrorCode::out_of_range);
    CHECK(past.status().message().find("[0, 12]") != std::string::npos);
  }
}

TEST_CASE("append rejects invalid, oversized and trailing-garbage batches without writing",
          "[storage][partition_log]") {
  TempDir tmp;
  LogOptions o = small_log_options();
  o.max_batch_bytes = 300;
  auto log = open_log(tmp / "p-0", o);

  Buffer bad_crc = make_batch(1, 10, 0, 1);
  bad_crc.back() ^= std::byte{1};
  CHECK(log->append(bad_crc).status() == ErrorCode::corruption);

  Buffer big = make_batch(1, 400, 0, 1);
  CHECK(log->append(big).status() == ErrorCode::too_large);

  Buffer trailing = make_batch(1, 10, 0, 1);
  trailing.push_back(std::byte{0});
  CHECK(log->append(trailing).status() == ErrorCode::invalid_argument);

  CHECK(log->log_end_offset() == Offset(0));
  CHECK(log->size_bytes() == 0);
  CHECK(log->health().ok());
}

TEST_CASE("append_batches writes several batches at once with consecutive offsets",
          "[storage][partition_log]") {
  TempDir tmp;
  auto log = open_log(tmp / "p-0", small_log_options());
  Buffer a = make_batch(2, 10, 1, 1), b = make_batch(4, 10, 2, 2);
  std::span<std::byte> spans[] = {a, b};
  auto r = log->append_batches(spans);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[1].base_offset == Offset(2));
  CHECK(log->log_end_offset() == Offset(6));
}

TEST_CASE("append_with_offsets keeps the leader's offsets and refuses going backwards",
          "[storage][partition_log]") {
  TempDir tmp;
  auto log = open_log(tmp / "p-0", small_log_options());
  Buffer a = make_batch(2, 10, 1, 1);
  set_base_offset(a, Offset(0));
  Buffer b = make_batch(2, 10, 1, 2);
  set_base_offset(b, Offset(2));
  std::span<std::byte> spans[] = {a, b};
  REQUIRE(log->append_with_offsets(spans).ok());
  CHECK(log->log_end_offset() == Offset(4));
  Buffer old = make_batch(1, 10, 1, 3);
  set_base_offset(old, Offset(1));
  std::span<std::byte> again[] = {old};
  CHECK(log->append_with_offsets(again).status() == ErrorCode::invalid_argument);
}

TEST_CASE("the log rolls to a new segment by size and reads span segments",
          "[storage][partition_log][roll]") {
  TempDir tmp;
  auto log = open_log(tmp / "p-0", small_log_options());  // 1024-byte segments, 161-byte batches
  auto batches = append_batches(*log, 20);
  auto segs = log->segments();
  REQUIRE(segs.size() == 4);
  CHECK(segs[0].base_offset == Offset(0));
  CHECK(segs[1].base_offset == Offset(18));  // 6 batches of 3 offsets each
  CHECK(segs[0].size_bytes <= 1024);
  CHECK(segs.back().active);
  CHECK(std::filesystem::exists(tmp / "p-0" / "00000000000000000018.log"));
  CHECK(std::filesystem::exists(tmp / "p-0" / "00000000000000000018.index"));
  CHECK(std::filesystem::exists(tmp / "p-0" / "00000000000000000018.timeindex"));

  Buffer expected;
  for (auto& b : batches) append(expected, b);
  CHECK(read_all(*log, Offset(0)) == expected);
  // One read never crosses a segment.
  auto r = log->read(Offset(15), 1 << 20);
  REQUIRE(r.ok());
  CHECK(base_offsets(*r) == std::vector<Offset>{Offset(15)});
}

TEST_CASE("the log rolls by age of the active segment", "[storage][partition_log][roll]") {
  TempDir tmp;
  auto now = std::make_shared<std::int64_t>(1'000'000);
  LogOptions o = small_log_options();
  o.segment_bytes = 1 << 20;
  o.segment_ms = 1000;
  o.clock = [now] { return *now; };
  auto log = open_log(tmp / "p-0", o);
  append_batches(*log, 2);
  *now += 999;
  append_batches(*log, 1);
  CHECK(log->segments().size() == 1);
  *now += 1;
  append_batches(*log, 1);
  REQUIRE(log->segments().size() == 2);
  CHECK(log->segments()[1].base_offset == Offset(9));
}

TEST_CASE("retention by size deletes the oldest closed segments and never the active one",
          "[storage][partition_log][retention]") {
  TempDir tmp;
  LogOptions o = small_log_options();
  o.retention_bytes = 2000;
  auto dir = tmp / "p-0";
  {
    auto log = open_log(dir, o);
    append_batches(*log, 20);  // 4 segments: 966, 966, 966, 322 bytes
    // Like Kafka, a segment goes only when at least retention_bytes remain without it.
    auto deleted = log->apply_retention();
    REQUIRE(deleted.ok());
    CHECK(*deleted == 1);
    CHECK(log->log_start_offset() == Offset(18));
    CHECK(log->size_bytes() == 3220 - 966);
    CHECK_FALSE(std::filesystem::exists(dir / "00000000000000000000.log"));
    CHECK_FALSE(std::filesystem::exists(dir / "00000000000000000000.index"));
    auto below = log->read(Offset(17), 100);
    REQUIRE(below.status() == ErrorCode::out_of_range);
    CHECK(below.status().message().find("[18, 60]") != std::string::npos);
    auto first = log->read(Offset(18), 1);
    REQUIRE(first.ok());
    CHECK(base_offsets(*first) == std::vector<Offset>{Offset(18)});
  }
  o.retention_bytes = 0;
  {
    auto log = open_log(dir, o);
    CHECK(log->log_start_offset() == Offset(18));
    auto deleted = log->apply_retention();
    REQUIRE(deleted.ok());
    CHECK(*deleted == 2);  // the active segment stays
    CHECK(log->segments().size() == 1);
    CHECK(log->log_start_offset() == Offset(54));
  }
  auto log = open_log(dir, o);
  CHECK(log->log_start_offset() == Offset(54));
  CHECK(log->log_end_offset() == Offset(60));
}

TEST_CASE("advance_log_start moves the start inside a segment, deletes the segments below and "
          "persists it (DeleteRecords, #15)",
          "[storage][partition_log][retention]") {
  TempDir tmp;
  LogOptions o = small_log_options();
  auto dir = tmp / "p-0";
  {
    auto log = open_log(dir, o);
    append_batches(*log, 20);  // segments at 0, 18, 36 and the active one at 54; end 60
    REQUIRE(log->advance_log_start(Offset(25)).ok());
    CHECK(log->log_start_offset() == Offset(25));
    CHECK(log->segments().size() == 3);
    CHECK_FALSE(std::filesystem::exists(dir / "00000000000000000000.log"));
    auto below = log->read(Offset(24), 100);
    REQUIRE(below.status() == ErrorCode::out_of_range);
    CHECK(below.status().message().find("[25, 60]") != std::string::npos);
    // Whole batches: the one holding offset 25 starts at 24, as in Kafka.
    auto first = log->read(Offset(25), 1);
    REQUIRE(first.ok());
    CHECK(base_offsets(*first) == std::vector<Offset>{Offset(24)});
    // Lower starts change nothing; a start past the end is refused.
    REQUIRE(log->advance_log_start(Offset(10)).ok());
    CHECK(log->log_start_offset() == Offset(25));
    auto past = log->advance_log_start(Offset(61));
    CHECK(past.code() == ErrorCode::out_of_range);
    CHECK(log->log_start_offset() == Offset(25));
  }
  {
    auto log = open_log(dir, o);
    CHECK(log->log_start_offset() == Offset(25));
    CHECK(log->log_end_offset() == Offset(60));
    // Up to the end: every closed segment goes, the active one stays.
    REQUIRE(log->advance_log_start(Offset(60)).ok());
    CHECK(log->segments().size() == 1);
    CHECK(log->log_start_offset() == Offset(60));
    auto empty = log->read(Offset(60), 100);
    REQUIRE(empty.ok());
    CHECK(empty->empty());
    append_batches(*log, 1);
    CHECK(log->log_end_offset() == Offset(63));
  }
  auto log = open_log(dir, o);
  CHECK(log->log_start_offset() == Offset(60));
  CHECK(log->log_end_offset() == Offset(63));
}

TEST_CASE("retention by time deletes closed segments whose newest batch is too old",
          "[storage][partition_log][retention]") {
  TempDir tmp;
  LogOptions o = small_log_options();
  o.retention_ms = 10'000;
  o.clock = [] { return std::int64_t{100'000}; };
  auto log = open_log(tmp / "p-0", o);
  append_batches(*log, 12, 50'000);   // two segments of old batches
  append_batches(*log, 12, 95'000);   // two segments of fresh ones (and the active)
  auto deleted = log->apply_retention();
  REQUIRE(deleted.ok());
  CHECK(*deleted == 2);
  CHECK(log->log_start_offset() == Offset(36));
}

TEST_CASE("offset_for_timestamp finds the first batch whose max timestamp reaches it",
          "[storage][partition_log][timeindex]") {
  TempDir tmp;
  auto log = open_log(tmp / "p-0", small_log_options());
  // Timestamps 1000..1029 in 30 batches across several segments, with one
  // out-of-order batch (late timestamp 500) in the middle.
  for (int i = 0; i < 30; ++i) {
    std::int64_t ts = i == 10 ? 500 : 1000 + i;
    Buffer b = make_batch(3, 100, ts, static_cast<std::uint64_t>(i));
    REQUIRE(log->append(b).ok());
  }
  auto at = [&](std::int64_t ts) { return log->offset_for_timestamp(ts).value(); };
  REQUIRE(at(0).has_value());
  CHECK(at(0)->offset == Offset(0));
  CHECK(at(1000)->offset == Offset(0));
  CHECK(at(1005)->offset == Offset(15));
  CHECK(at(1011)->offset == Offset(33));  // batch 10 (ts 500) is skipped
  CHECK(at(1011)->timestamp == 1011);
  CHECK(at(1029)->offset == Offset(87));
  CHECK_FALSE(at(1030).has_value());
}

TEST_CASE("offset_for_timestamp answers the first record at or after the time, with its own "
          "timestamp, inside compressed batches too (as Kafka's ListOffsets does)",
          "[storage][partition_log][timeindex]") {
  const Compression codec = GENERATE(Compression::none, Compression::gzip, Compression::snappy,
                                     Compression::lz4, Compression::zstd);
  CAPTURE(static_cast<int>(codec));
  TempDir tmp;
  auto log = open_log(tmp / "p-0", small_log_options());
  // 10 batches of 10 records; record i has timestamp 10'000 + 10 * i.
  for (int b = 0; b < 10; ++b) {
    RecordBatchBuilder builder(RecordBatchOptions{.compression = codec});
    for (int r = 0; r < 10; ++r) {
      const std::string value = "value-" + std::to_string(b * 10 + r);
      REQUIRE(builder.append(10'000 + 10 * (b * 10 + r), std::nullopt, as_bytes(value)).ok());
    }
    auto batch = builder.build();
    REQUIRE(batch.ok());
    REQUIRE(log->append(*batch).ok());
  }
  auto at = [&](std::int64_t ts) { return log->offset_for_timestamp(ts).value(); };
  CHECK(at(0) == TimestampOffset{10'000, Offset(0)});           // before every record
  CHECK(at(10'000) == TimestampOffset{10'000, Offset(0)});      // on the first
  CHECK(at(10'500) == TimestampOffset{10'500, Offset(50)});     // a batch's first record
  CHECK(at(10'415) == TimestampOffset{10'420, Offset(42)});     // between two records
  CHECK(at(10'990) == TimestampOffset{10'990, Offset(99)});     // the last
  CHECK_FALSE(at(10'991).has_value());                          // after every record
}

TEST_CASE("truncate_to removes a suffix and appends continue from the new end",
          "[storage][partition_log][truncate]") {
  TempDir tmp;
  auto dir = tmp / "p-0";
  auto log = open_log(dir, small_log_options());
  auto batches = append_batches(*log, 20);  // 60 offsets, 4 segments
  REQUIRE(log->truncate_to(Offset(25)).ok());  // inside batch 24-26: it goes whole
  CHECK(log->log_end_offset() == Offset(24));
  CHECK(log->segments().size() == 2);
  CHECK(log->flushed_end() <= Offset(24));
  Buffer expected;
  for (int i = 0; i < 8; ++i) append(expected, batches[static_cast<std::size_t>(i)]);
  CHECK(read_all(*log, Offset(0)) == expected);
  auto more = append_batches(*log, 1);
  CHECK(log->log_end_offset() == Offset(27));
  REQUIRE(log->close().ok());

  auto reopened = open_log(dir, small_log_options());
  CHECK(reopened->log_end_offset() == Offset(27));
  append(expected, more[0]);
  CHECK(read_all(*reopened, Offset(0)) == expected);
  CHECK(reopened->truncate_to(Offset(-1)).code() == ErrorCode::out_of_range);
}

TEST_CASE("a closed log reopens without a scan at the same offsets with the same data",
          "[storage][partition_log]") {
  TempDir tmp;
  auto dir = tmp / "p-0";
  Buffer expected;
  {
    auto log = open_log(dir, small_log_options());
    for (auto& b : append_batches(*log, 15)) append(expected, b);
    REQUIRE(log->close().ok());
    CHECK(std::filesystem::exists(dir / PartitionLog::kCleanShutdownFile));
    Buffer late = make_batch(1, 1, 1, 1);
    CHECK(log->append(late).status() == ErrorCode::shutting_down);
  }
  auto log = open_log(dir, small_log_options());
  CHECK_FALSE(std::filesystem::exists(dir / PartitionLog::kCleanShutdownFile));
  CHECK(log->log_end_offset() == Offset(45));
  CHECK(log->flushed_end() == Offset(45));
  CHECK(read_all(*log, Offset(0)) == expected);
  auto more = append_batches(*log, 1);
  CHECK(log->log_end_offset() == Offset(48));
}

}  // namespace
}  // namespace strata::storage
