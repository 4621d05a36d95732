// PartitionLog on a file system that runs out of space (storage/log_resume.cc).

#include <catch2/catch.hpp>

#include "common/record_batch.h"
#include "storage/partition_log.h"
#include "tests/support/tmpfs_mount.h"
#include "tests/unit/storage/test_batches.h"

namespace strata::storage {
namespace {

using strata::testing::TmpfsMount;
using namespace strata::storage::testing;

constexpr std::size_t kPayloadBytes = 20000;  // a batch spans several pages

std::unique_ptr<TmpfsMount> small_tmpfs() {
  std::string why;
  auto fs = TmpfsMount::mount(4 << 20, &why);
  INFO(why);
  REQUIRE(fs != nullptr);  // no skipping: this test needs its ENOSPC
  return fs;
}

LogOptions options() {
  LogOptions o = small_log_options();
  o.segment_bytes = 256 * 1024;
  o.max_batch_bytes = 64 * 1024;  // resume_writes() waits for this much room
  return o;
}

std::unique_ptr<PartitionLog> open_log(const std::filesystem::path& dir) {
  auto log = PartitionLog::open(dir, options());
  REQUIRE(log.ok());
  return std::move(log).value();
}

// Appends (without syncing) a fresh batch.
Status append_new(PartitionLog& log, std::int32_t records, std::size_t payload,
                  std::uint64_t seed) {
  Buffer b = make_batch(records, payload, 1000, seed);
  return log.append(b).status();
}

// Appends (without syncing) until an append fails; returns that failure.
Status append_until_full(PartitionLog& log) {
  for (std::uint64_t seed = 1; seed < 10000; ++seed) {
    Buffer b = make_batch(3, kPayloadBytes, 1000, seed);
    auto r = log.append(b);
    if (!r.ok()) return r.status();
  }
  return Status();
}

TEST_CASE("a log that ran out of space resumes at its acknowledged end once space is free",
          "[storage][partition_log][no_space]") {
  auto fs = small_tmpfs();
  auto log = open_log(*fs / "p-0");
  for (std::uint64_t i = 0; i < 4; ++i) REQUIRE(append_new(*log, 3, kPayloadBytes, 100 + i).ok());
  REQUIRE(log->sync().ok());
  const Offset acked = log->acked_end();
  const Buffer acked_bytes = read_all(*log, Offset(0));
  // Written but never synced: not acknowledged.
  REQUIRE(append_new(*log, 3, kPayloadBytes, 200).ok());
  CHECK(log->log_end_offset() > acked);

  // Leave two pages: the next batch is torn part-way through.
  fs->fill("filler", 8192);
  Status full = append_until_full(*log);
  CHECK(full.code() == ErrorCode::no_space);
  CHECK(full.message().find("No space left on device") != std::string::npos);
  CHECK(log->write_state() == WriteState::out_of_space);
  CHECK(log->health().code() == ErrorCode::no_space);
  // Appends are refused, reads go on.
  CHECK(append_new(*log, 1, 10, 300).code() == ErrorCode::no_space);
  CHECK(read_all(*log, Offset(0)).size() >= acked_bytes.size());

  SECTION("no resume while the disk is still full") {
    CHECK(log->resume_writes().code() == ErrorCode::no_space);
    CHECK(log->write_state() == WriteState::out_of_space);
  }

  SECTION("resumed: unacknowledged appends and the torn write are gone, appends work") {
    std::filesystem::remove(*fs / "filler");
    REQUIRE(log->resume_writes().ok());
    CHECK(log->write_state() == WriteState::writable);
    CHECK(log->health().ok());
    CHECK(log->log_end_offset() == acked);
    CHECK(read_all(*log, Offset(0)) == acked_bytes);
    const std::vector<SegmentInfo> segments = log->segments();
    CHECK(size_of_file(segments.back().log_path) == segments.back().size_bytes);

    Buffer more = make_batch(3, 100, 2000, 400);
    auto appended = log->append(more);
    REQUIRE(appended.ok());
    CHECK(appended->base_offset == acked);
    REQUIRE(log->sync().ok());
    Buffer expected = acked_bytes;
    append(expected, more);
    CHECK(read_all(*log, Offset(0)) == expected);

    REQUIRE(log->close().ok());
    log.reset();
    auto reopened = open_log(*fs / "p-0");
    CHECK(read_all(*reopened, Offset(0)) == expected);
    CHECK(reopened->write_state() == WriteState::writable);
  }

  SECTION("closed while still full: a reopen does not bring failed appends back") {
    CHECK(log->close().ok());
    log.reset();
    std::filesystem::remove(*fs / "filler");
    auto reopened = open_log(*fs / "p-0");
    CHECK(reopened->log_end_offset() == acked);
    CHECK(read_all(*reopened, Offset(0)) == acked_bytes);
    CHECK(reopened->write_state() == WriteState::writable);
  }
}

TEST_CASE("a log resumed after running out of space keeps appending and rolling segments",
          "[storage][partition_log][no_space]") {
  auto fs = small_tmpfs();
  auto log = open_log(*fs / "p-0");
  fs->fill("filler", 0);
  Status full = append_until_full(*log);
  REQUIRE(full.code() == ErrorCode::no_space);
  std::filesystem::remove(*fs / "filler");
  REQUIRE(log->resume_writes().ok());
  // Enough appends to roll several times, each synced (acknowledged).
  Buffer expected = read_all(*log, Offset(0));
  for (int i = 0; i < 30; ++i) {
    Buffer b = make_batch(3, kPayloadBytes, 1000, 500 + static_cast<std::uint64_t>(i));
    REQUIRE(log->append(b).ok());
    append(expected, b);
  }
  REQUIRE(log->sync().ok());
  CHECK(log->segments().size() > 1);
  CHECK(read_all(*log, Offset(0)) == expected);
}

}  // namespace
}  // namespace strata::storage
