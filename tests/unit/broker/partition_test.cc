// broker::Partition as the replica (#14): the high watermark it owns, its
// leader epoch, the epoch it stamps into appended batches and the check of a
// client's current leader epoch. A real log in a temp dir, a real thread pool.
#include "broker/partition.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>

#include "common/record_batch.h"
#include "common/record_batch_builder.h"
#include "tests/support/temp_dir.h"

namespace strata::broker {
namespace {

using strata::testing::TempDir;

Buffer batch_of(int records) {
  RecordBatchBuilder builder;
  for (int i = 0; i < records; ++i) {
    const std::string value = "v" + std::to_string(i);
    REQUIRE(builder.append(1700000000000 + i, std::nullopt, as_bytes(value)).ok());
  }
  return builder.build().value();
}

std::shared_ptr<Partition> open_partition(const std::filesystem::path& dir, asio::thread_pool& pool,
                                          bool durable = true) {
  storage::LogOptions options;
  options.durable = durable;
  auto opened = Partition::open(TopicPartition{"orders", PartitionId(0)}, dir, options, nullptr, pool);
  REQUIRE(opened.ok());
  return std::move(opened).value();
}

// Appends through the partition and waits (bounded) for the acknowledgement.
Result<storage::AppendResult> append_and_wait(Partition& p, Buffer batch, Acks acks = Acks::all) {
  auto promise = std::make_shared<std::promise<Result<storage::AppendResult>>>();
  auto future = promise->get_future();
  p.append(std::move(batch), acks,
           [promise](Result<storage::AppendResult> r) { promise->set_value(std::move(r)); });
  REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  return future.get();
}

void close_and_wait(Partition& p) {
  auto promise = std::make_shared<std::promise<Status>>();
  auto future = promise->get_future();
  p.close(false, [promise](Status st) { promise->set_value(st); });
  REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  REQUIRE(future.get().ok());
}

TEST_CASE("the partition leads standalone, owns the high watermark and stamps its leader epoch",
          "[broker][partition][leader_epoch]") {
  TempDir tmp;
  asio::thread_pool pool(2);
  auto p = open_partition(tmp / "orders-0", pool);
  CHECK(p->is_leader());
  CHECK(p->leader_epoch() == LeaderEpoch(0));  // a log with no epochs
  CHECK(p->high_watermark() == Offset(0));

  for (Acks acks : {Acks::all, Acks::leader, Acks::none}) {
    auto appended = append_and_wait(*p, batch_of(3), acks);
    REQUIRE(appended.ok());
    // Acknowledged means committed: the high watermark has passed the batch.
    CHECK(p->high_watermark() == appended->last_offset + 1);
  }
  CHECK(p->high_watermark() == Offset(9));
  auto stored = p->read(Offset(0), 1 << 20);
  REQUIRE(stored.ok());
  for (std::size_t pos = 0; pos < stored->size();) {
    auto header = parse_batch_header(ByteSpan(*stored).subspan(pos));
    REQUIRE(header.ok());
    CHECK(header->partition_leader_epoch == 0);  // was -1 from the builder
    CHECK(RecordBatchView::validate(ByteSpan(*stored).subspan(pos)).ok());  // CRC still holds
    pos += header->size_bytes();
  }
  CHECK(p->end_offset_for_epoch(LeaderEpoch(0)) ==
        storage::EpochEndOffset{LeaderEpoch(0), Offset(9)});
  close_and_wait(*p);
  pool.join();
}

TEST_CASE("the partition takes the latest epoch of its log and fences older and newer ones",
          "[broker][partition][leader_epoch]") {
  TempDir tmp;
  const auto dir = tmp / "orders-0";
  {
    // A newer leader's batch, as a follower would have appended it.
    auto log = storage::PartitionLog::open(dir, storage::LogOptions{});
    REQUIRE(log.ok());
    Buffer b = batch_of(2);
    set_partition_leader_epoch(b, LeaderEpoch(4));
    REQUIRE((*log)->append(b).ok());
    REQUIRE((*log)->close().ok());
  }
  asio::thread_pool pool(2);
  auto p = open_partition(dir, pool);
  CHECK(p->leader_epoch() == LeaderEpoch(4));
  CHECK(p->high_watermark() == Offset(2));  // what the log holds acknowledged at open
  CHECK(p->check_leader_epoch(std::nullopt).ok());
  CHECK(p->check_leader_epoch(LeaderEpoch(-1)).ok());
  CHECK(p->check_leader_epoch(LeaderEpoch(4)).ok());
  CHECK(p->check_leader_epoch(LeaderEpoch(3)).code() == ErrorCode::stale_epoch);
  CHECK(p->check_leader_epoch(LeaderEpoch(5)).code() == ErrorCode::unavailable);

  auto appended = append_and_wait(*p, batch_of(1));
  REQUIRE(appended.ok());
  auto read = p->read(appended->base_offset, 1 << 20);
  REQUIRE(read.ok());
  CHECK(parse_batch_header(*read)->partition_leader_epoch == 4);
  CHECK(p->epoch_for_offset(Offset(0)) == LeaderEpoch(4));
  close_and_wait(*p);
  pool.join();
}

TEST_CASE("an async topic's high watermark is its log end once appended",
          "[broker][partition][leader_epoch]") {
  TempDir tmp;
  asio::thread_pool pool(2);
  auto p = open_partition(tmp / "orders-0", pool, /*durable=*/false);
  auto appended = append_and_wait(*p, batch_of(5), Acks::leader);
  REQUIRE(appended.ok());
  CHECK(p->high_watermark() == Offset(5));
  close_and_wait(*p);
  pool.join();
}

}  // namespace
}  // namespace strata::broker
