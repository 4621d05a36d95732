#include "storage/leader_epoch_cache.h"

#include <catch2/catch.hpp>

#include "common/record_batch.h"
#include "storage/partition_log.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/test_batches.h"

namespace strata::storage {
namespace {

using strata::testing::TempDir;
using namespace strata::storage::testing;

using Entries = std::vector<EpochEntry>;

EpochEntry entry(std::int32_t epoch, std::int64_t start) { return {LeaderEpoch(epoch), Offset(start)}; }

EpochEndOffset end_at(std::int32_t epoch, std::int64_t end) { return {LeaderEpoch(epoch), Offset(end)}; }

std::unique_ptr<PartitionLog> open_log(const std::filesystem::path& dir,
                                       LogOptions o = small_log_options()) {
  auto log = PartitionLog::open(dir, std::move(o));
  REQUIRE(log.ok());
  return std::move(log).value();
}

// Appends one batch of 3 records stamped with `epoch`; returns its base offset.
Offset append_with_epoch(PartitionLog& log, std::int32_t epoch, std::int64_t ts = 1000) {
  Buffer b = make_batch(3, 100, ts, static_cast<std::uint64_t>(log.log_end_offset().value()));
  set_partition_leader_epoch(b, LeaderEpoch(epoch));
  auto r = log.append(b);
  REQUIRE(r.ok());
  return r->base_offset;
}

Entries on_disk(const PartitionLog& log) {
  auto read = LeaderEpochCache::read_file(log.dir() / LeaderEpochCache::kFileName);
  REQUIRE(read.ok());
  return *read;
}

TEST_CASE("end_offset_for answers as Kafka's OffsetForLeaderEpoch",
          "[storage][leader_epoch_cache]") {
  TempDir tmp;
  LeaderEpochCache cache(tmp / "leader-epoch.checkpoint", {entry(2, 10), entry(4, 30), entry(5, 50)});
  const Offset log_end(70);
  CHECK(cache.end_offset_for(LeaderEpoch(5), log_end) == end_at(5, 70));  // latest: the log end
  CHECK(cache.end_offset_for(LeaderEpoch(4), log_end) == end_at(4, 50));  // next epoch's start
  CHECK(cache.end_offset_for(LeaderEpoch(3), log_end) == end_at(2, 30));  // largest epoch <= 3
  CHECK(cache.end_offset_for(LeaderEpoch(2), log_end) == end_at(2, 30));
  CHECK(cache.end_offset_for(LeaderEpoch(1), log_end) == end_at(1, 10));  // below all: first start
  CHECK(cache.end_offset_for(LeaderEpoch(6), log_end) == EpochEndOffset{});  // above all: undefined
  CHECK(cache.end_offset_for(LeaderEpoch(-1), log_end) == EpochEndOffset{});

  LeaderEpochCache empty(tmp / "other.checkpoint", {});
  CHECK(empty.end_offset_for(LeaderEpoch(0), log_end) == EpochEndOffset{});
}

TEST_CASE("assign keeps only rising epochs and drops epochs that never got a batch",
          "[storage][leader_epoch_cache]") {
  TempDir tmp;
  const auto path = tmp / "leader-epoch.checkpoint";
  LeaderEpochCache cache(path, {});
  REQUIRE(cache.assign(LeaderEpoch(1), Offset(0)).ok());
  REQUIRE(cache.assign(LeaderEpoch(1), Offset(5)).ok());  // same epoch: no change
  REQUIRE(cache.assign(LeaderEpoch(0), Offset(6)).ok());  // lower epoch: no change
  REQUIRE(cache.assign(LeaderEpoch(3), Offset(8)).ok());
  REQUIRE(cache.assign(LeaderEpoch(4), Offset(8)).ok());  // epoch 3 never got a batch
  CHECK(cache.entries() == Entries{entry(1, 0), entry(4, 8)});
  CHECK(cache.assign(LeaderEpoch(5), Offset(7)).code() == ErrorCode::invalid_argument);
  auto read = LeaderEpochCache::read_file(path);
  REQUIRE(read.ok());
  CHECK(*read == cache.entries());
}

TEST_CASE("a damaged leader-epoch file is reported as corruption, a missing one as not_found",
          "[storage][leader_epoch_cache]") {
  TempDir tmp;
  const auto path = tmp / "leader-epoch.checkpoint";
  CHECK(LeaderEpochCache::read_file(path).status().code() == ErrorCode::not_found);
  REQUIRE(LeaderEpochCache::write_file(path, {entry(0, 0), entry(7, 100)}).ok());
  const std::uint64_t size = size_of_file(path);
  CHECK(size == 12 + 2 * 12 + 4);
  SECTION("a flipped byte") { corrupt_byte(path, 20); }
  SECTION("a torn file") { truncate_file(path, size - 3); }
  SECTION("entries that do not rise") {
    REQUIRE(LeaderEpochCache::write_file(path, {entry(7, 0), entry(2, 100)}).ok());
  }
  CHECK(LeaderEpochCache::read_file(path).status().code() == ErrorCode::corruption);
}

TEST_CASE("appends with a higher partition leader epoch start an epoch that survives a restart",
          "[storage][partition_log][leader_epoch]") {
  TempDir tmp;
  const auto dir = tmp / "orders-0";
  {
    auto log = open_log(dir);
    CHECK(log->leader_epochs().empty());
    CHECK(log->latest_leader_epoch() == std::nullopt);
    CHECK(log->end_offset_for_epoch(LeaderEpoch(0)) == EpochEndOffset{});
    append_with_epoch(*log, 0);  // offsets 0-2
    append_with_epoch(*log, 0);  // 3-5
    append_with_epoch(*log, 2);  // 6-8
    append_with_epoch(*log, 1);  // 9-11: a lower epoch starts nothing
    append_with_epoch(*log, 5);  // 12-14
    CHECK(log->leader_epochs() == Entries{entry(0, 0), entry(2, 6), entry(5, 12)});
    CHECK(on_disk(*log) == log->leader_epochs());  // durable at the append, before close
    CHECK(log->latest_leader_epoch() == LeaderEpoch(5));
    CHECK(log->end_offset_for_epoch(LeaderEpoch(0)) == end_at(0, 6));
    CHECK(log->end_offset_for_epoch(LeaderEpoch(3)) == end_at(2, 12));
    CHECK(log->end_offset_for_epoch(LeaderEpoch(5)) == end_at(5, 15));
  }
  auto reopened = open_log(dir);
  CHECK(reopened->leader_epochs() == Entries{entry(0, 0), entry(2, 6), entry(5, 12)});
  CHECK(reopened->end_offset_for_epoch(LeaderEpoch(5)) == end_at(5, 15));
}

TEST_CASE("truncate_to drops the leader epochs at and after the cut, also after a restart",
          "[storage][partition_log][leader_epoch]") {
  TempDir tmp;
  const auto dir = tmp / "orders-0";
  {
    auto log = open_log(dir);
    append_with_epoch(*log, 1);  // 0-2
    append_with_epoch(*log, 2);  // 3-5
    append_with_epoch(*log, 2);  // 6-8
    append_with_epoch(*log, 3);  // 9-11
    append_with_epoch(*log, 4);  // 12-14
    REQUIRE(log->truncate_to(Offset(9)).ok());
    CHECK(log->leader_epochs() == Entries{entry(1, 0), entry(2, 3)});
    CHECK(on_disk(*log) == log->leader_epochs());
    CHECK(log->end_offset_for_epoch(LeaderEpoch(2)) == end_at(2, 9));
    CHECK(log->end_offset_for_epoch(LeaderEpoch(3)) == EpochEndOffset{});
    // A follower appending the new leader's batches starts its epoch again.
    append_with_epoch(*log, 6);  // 9-11
    CHECK(log->leader_epochs() == Entries{entry(1, 0), entry(2, 3), entry(6, 9)});
    REQUIRE(log->truncate_to(Offset(4)).ok());  // inside epoch 2's first batch: it goes whole
    CHECK(log->log_end_offset() == Offset(3));
    CHECK(log->leader_epochs() == Entries{entry(1, 0)});
  }
  auto reopened = open_log(dir);
  CHECK(reopened->leader_epochs() == Entries{entry(1, 0)});
  CHECK(reopened->end_offset_for_epoch(LeaderEpoch(1)) == end_at(1, 3));
}

TEST_CASE("retention drops the leader epochs wholly below the new log start",
          "[storage][partition_log][leader_epoch]") {
  TempDir tmp;
  LogOptions o = small_log_options();
  o.retention_bytes = 1200;
  auto log = open_log(tmp / "orders-0", o);
  // 161-byte batches, 6 to a 1024-byte segment: epoch e covers batches 4e..4e+3.
  for (int i = 0; i < 20; ++i) append_with_epoch(*log, i / 4, 1000 + i);
  REQUIRE(log->leader_epochs().size() == 5);
  auto deleted = log->apply_retention();
  REQUIRE(deleted.ok());
  REQUIRE(*deleted > 0);
  const Offset start = log->log_start_offset();
  const Entries epochs = log->leader_epochs();
  REQUIRE(!epochs.empty());
  // The first entry holds the log start; nothing below it remains.
  CHECK(epochs.front().start_offset == start);
  CHECK(epochs.back() == entry(4, 48));
  CHECK(epochs.size() == static_cast<std::size_t>(5 - start.value() / 12));
  CHECK(on_disk(*log) == epochs);
}

TEST_CASE("a damaged or missing leader-epoch checkpoint is rebuilt from the batches at open",
          "[storage][partition_log][leader_epoch]") {
  TempDir tmp;
  const auto dir = tmp / "orders-0";
  const auto file = dir / LeaderEpochCache::kFileName;
  {
    auto log = open_log(dir);
    append_with_epoch(*log, 3);
    append_with_epoch(*log, 3);
    for (int i = 0; i < 8; ++i) append_with_epoch(*log, 7);  // crosses segments
    append_with_epoch(*log, 9);
    REQUIRE(log->segments().size() > 1);
  }
  SECTION("damaged") { corrupt_byte(file, 14); }
  SECTION("missing") { std::filesystem::remove(file); }
  SECTION("left with an epoch past the log end by a crash") {
    REQUIRE(LeaderEpochCache::write_file(file, {entry(3, 0), entry(7, 6), entry(9, 30),
                                                entry(11, 33)})
                .ok());
  }
  auto reopened = open_log(dir);
  const Entries expected{entry(3, 0), entry(7, 6), entry(9, 30)};
  CHECK(reopened->leader_epochs() == expected);
  CHECK(on_disk(*reopened) == expected);
}

TEST_CASE("an empty log without a leader-epoch checkpoint opens with no epochs",
          "[storage][partition_log][leader_epoch]") {
  TempDir tmp;
  auto log = open_log(tmp / "orders-0");
  CHECK(log->leader_epochs().empty());
  append_batches(*log, 1);  // make_batch stamps epoch 0
  CHECK(log->leader_epochs() == Entries{entry(0, 0)});
}

}  // namespace
}  // namespace strata::storage
