// Recovery after an unclean stop (docs/formats/partition-log.md#recovery).
// A "crash image" is a copy of a partition directory taken while its log is
// still open: no clean-shutdown marker, checkpoints as the crash left them.

#include <catch2/catch.hpp>

#include "common/record_batch.h"
#include "storage/partition_log.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/test_batches.h"

namespace strata::storage {
namespace {

namespace fs = std::filesystem;
using strata::testing::TempDir;
using namespace strata::storage::testing;

std::unique_ptr<PartitionLog> open_log(const fs::path& dir, LogOptions o = small_log_options()) {
  auto log = PartitionLog::open(dir, std::move(o));
  REQUIRE(log.ok());
  return std::move(log).value();
}

void copy_dir(const fs::path& from, const fs::path& to) {
  fs::remove_all(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

Buffer concat(const std::vector<Buffer>& batches, std::size_t count) {
  Buffer out;
  for (std::size_t i = 0; i < count; ++i) append(out, batches[i]);
  return out;
}

// A crash image of one segment holding `count` batches (synced, but the
// recovery point still at 0, so the whole segment is the unflushed tail).
std::vector<Buffer> make_crash_image(const fs::path& live, const fs::path& image, int count,
                                     LogOptions o = small_log_options()) {
  auto log = open_log(live, o);
  auto batches = append_batches(*log, count);
  REQUIRE(log->sync().ok());
  copy_dir(live, image);
  return batches;
}

TEST_CASE("recovery truncates a torn tail at every byte of the last batch and keeps every "
          "complete batch",
          "[storage][recovery]") {
  TempDir tmp;
  LogOptions o = small_log_options();
  o.segment_bytes = 1 << 20;
  auto batches = make_crash_image(tmp / "live", tmp / "image", 5, o);
  const std::uint64_t last_start = 4 * batches[0].size();
  const std::uint64_t full = 5 * batches[0].size();
  for (std::uint64_t cut = last_start; cut < full; ++cut) {
    INFO("log cut at byte " << cut);
    fs::path dir = tmp / "p-0";
    copy_dir(tmp / "image", dir);
    truncate_file(dir / "00000000000000000000.log", cut);
    auto log = open_log(dir, o);
    REQUIRE(log->log_end_offset() == Offset(12));
    REQUIRE(size_of_file(dir / "00000000000000000000.log") == last_start);
    REQUIRE(read_all(*log, Offset(0)) == concat(batches, 4));
    Buffer next = make_batch(2, 10, 1, 9);
    auto r = log->append(next);
    REQUIRE(r.ok());
    REQUIRE(r->base_offset == Offset(12));
  }
}

TEST_CASE("recovery cuts at a batch whose checked bytes were flipped", "[storage][recovery]") {
  TempDir tmp;
  LogOptions o = small_log_options();
  o.segment_bytes = 1 << 20;
  auto batches = make_crash_image(tmp / "live", tmp / "image", 5, o);
  const std::uint64_t last_start = 4 * batches[0].size();
  for (std::uint64_t at = batch_layout::kBatchLength; at < batches[4].size(); ++at) {
    // The partition leader epoch is covered by neither CRC nor framing.
    if (at >= batch_layout::kPartitionLeaderEpoch && at < batch_layout::kMagic) continue;
    INFO("flipped byte " << at << " of the last batch");
    fs::path dir = tmp / "p-0";
    copy_dir(tmp / "image", dir);
    corrupt_byte(dir / "00000000000000000000.log", last_start + at);
    auto log = open_log(dir, o);
    REQUIRE(log->log_end_offset() == Offset(12));
    REQUIRE(read_all(*log, Offset(0)) == concat(batches, 4));
    Buffer next = make_batch(1, 10, 1, 9);
    REQUIRE(log->append(next)->base_offset == Offset(12));
  }
}

TEST_CASE("recovery cuts inside an unflushed closed segment and deletes the segments after it",
          "[storage][recovery]") {
  TempDir tmp;
  auto batches = make_crash_image(tmp / "live", tmp / "image", 15);  // segments at 0, 18, 36
  fs::path dir = tmp / "image";
  // Without a recovery point checkpoint the whole log is scanned.
  fs::remove(dir / PartitionLog::kRecoveryPointFile);
  corrupt_byte(dir / "00000000000000000018.log", 2 * batches[0].size() + 30);  // batch at 24
  auto log = open_log(dir);
  CHECK(log->log_end_offset() == Offset(24));
  CHECK(log->segments().size() == 2);
  CHECK_FALSE(fs::exists(dir / "00000000000000000036.log"));
  CHECK_FALSE(fs::exists(dir / "00000000000000000036.index"));
  CHECK(read_all(*log, Offset(0)) == concat(batches, 8));
  CHECK(append_batches(*log, 1).size() == 1);
  CHECK(log->log_end_offset() == Offset(27));
}

TEST_CASE("a zero-filled tail is the end of the log", "[storage][recovery]") {
  TempDir tmp;
  LogOptions o = small_log_options();
  o.segment_bytes = 1 << 20;
  auto batches = make_crash_image(tmp / "live", tmp / "image", 3, o);
  fs::path log_file = tmp / "image" / "00000000000000000000.log";
  Buffer bytes = read_file(log_file);
  bytes.resize(bytes.size() + 4096);
  write_file(log_file, bytes);
  auto log = open_log(tmp / "image", o);
  CHECK(log->log_end_offset() == Offset(9));
  CHECK(size_of_file(log_file) == 3 * batches[0].size());
  CHECK(read_all(*log, Offset(0)) == concat(batches, 3));
}

TEST_CASE("garbage checkpoints mean a full scan, never a failed open", "[storage][recovery]") {
  TempDir tmp;
  auto batches = make_crash_image(tmp / "live", tmp / "image", 10);
  fs::path dir = tmp / "image";
  write_file(dir / PartitionLog::kRecoveryPointFile, as_bytes("not a checkpoint"));
  write_file(dir / PartitionLog::kLogStartFile, as_bytes("x"));
  truncate_file(dir / "00000000000000000018.log", 100);  // a torn batch
  auto log = open_log(dir);
  CHECK(log->log_start_offset() == Offset(0));
  CHECK(log->log_end_offset() == Offset(18));
  CHECK(read_all(*log, Offset(0)) == concat(batches, 6));
}

TEST_CASE("missing or damaged index files are rebuilt and lookups still work",
          "[storage][recovery][index]") {
  TempDir tmp;
  LogOptions o = small_log_options();
  fs::path dir = tmp / "p-0";
  std::vector<Buffer> batches;
  {
    auto log = open_log(dir, o);
    batches = append_batches(*log, 15);
    REQUIRE(log->close().ok());
  }
  const fs::path index = dir / "00000000000000000000.index";
  const fs::path time_index = dir / "00000000000000000018.timeindex";
  const Buffer good_index = read_file(index);
  const Buffer good_time_index = read_file(time_index);
  REQUIRE(good_index.size() >= 2 * OffsetIndex::kEntrySize);
  REQUIRE(!good_time_index.empty());

  bool clean = GENERATE(true, false);
  INFO((clean ? "after a clean shutdown" : "after a crash"));
  if (!clean) fs::remove(dir / PartitionLog::kCleanShutdownFile);
  SECTION("a missing index") { fs::remove(index); }
  SECTION("an index with a torn entry") { truncate_file(index, good_index.size() - 3); }
  SECTION("an index entry pointing elsewhere") {
    // Found by the crash scan; a clean open checks only the last entry (as Kafka does).
    fs::remove(dir / PartitionLog::kCleanShutdownFile);
    corrupt_byte(index, 7);
  }
  SECTION("a time index out of order") {
    Buffer swapped = good_time_index;
    swapped.resize(2 * TimeIndex::kEntrySize);
    std::swap_ranges(swapped.begin(), swapped.begin() + 12, swapped.begin() + 12);
    write_file(time_index, swapped);
  }
  auto log = open_log(dir, o);
  CHECK(read_file(index) == good_index);
  CHECK(read_file(time_index) == good_time_index);
  CHECK(read_all(*log, Offset(0)) == concat(batches, 15));
  auto mid = log->read(Offset(13), 1);
  REQUIRE(mid.ok());
  CHECK(base_offsets(*mid) == std::vector<Offset>{Offset(12)});
  CHECK(log->offset_for_timestamp(1008).value()->offset == Offset(24));
}

TEST_CASE("damage below the recovery point is reported and never served",
          "[storage][recovery][damage]") {
  TempDir tmp;
  auto batches = make_crash_image(tmp / "live", tmp / "image", 15);  // segments at 0, 18, 36
  fs::path dir = tmp / "image";
  // The sync moved the recovery point to the active segment: segments 0 and
  // 18 were fsynced, so damage there is bit rot, not a torn write.
  corrupt_byte(dir / "00000000000000000000.log", 2 * batches[0].size() + batch_layout::kMagic);
  auto log = open_log(dir);
  CHECK(log->log_end_offset() == Offset(45));
  CHECK(log->damaged_from() == std::optional<Offset>(Offset(6)));
  CHECK(log->read(Offset(6), 100).status() == ErrorCode::corruption);
  CHECK(log->read(Offset(7), 100).status() == ErrorCode::corruption);
  auto before = log->read(Offset(0), 1 << 20);
  REQUIRE(before.ok());
  CHECK(*before == concat(batches, 2));
  auto after = log->read(Offset(18), 1);
  REQUIRE(after.ok());
  CHECK(base_offsets(*after) == std::vector<Offset>{Offset(18)});
  CHECK(size_of_file(dir / "00000000000000000000.log") == 6 * batches[0].size());  // not cut
  CHECK(append_batches(*log, 1).size() == 1);
  CHECK(log->segments()[0].damaged_from == std::optional<Offset>(Offset(6)));
}

}  // namespace
}  // namespace strata::storage
