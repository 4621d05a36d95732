#include "replication/metadata/local_metadata_store.h"

#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "replication/metadata/metadata_codec.h"
#include "storage/kv_store.h"
#include "tests/support/temp_dir.h"

namespace strata::replication {
namespace {

using strata::testing::TempDir;

std::unique_ptr<storage::KvStore> open_kv(const TempDir& dir) {
  auto kv = storage::KvStore::open((dir / "kv").string());
  REQUIRE(kv.ok());
  return std::move(kv).value();
}

std::unique_ptr<LocalMetadataStore> open_store(storage::KvStore& kv, BrokerId local = BrokerId(0)) {
  auto store = LocalMetadataStore::open(kv, LocalMetadataStoreOptions{local});
  REQUIRE(store.ok());
  return std::move(store).value();
}

PartitionState led_by(std::int32_t broker) {
  return PartitionState{{BrokerId(broker)}, BrokerId(broker), LeaderEpoch(0), {BrokerId(broker)}};
}

TopicRecord topic_named(const std::string& name, std::int32_t partitions) {
  return TopicRecord{name, new_topic_id(), partitions, {{"retention.ms", "1000"}}, false};
}

MetadataVersion create(MetadataStore& store, const TopicRecord& topic) {
  std::vector<PartitionState> states(static_cast<std::size_t>(topic.partition_count), led_by(1));
  auto version = store.create_topic(topic, states);
  REQUIRE(version.ok());
  return *version;
}

TEST_CASE("topics and partition states survive a reopen with their versions",
          "[replication][metadata]") {
  TempDir dir;
  TopicRecord orders = topic_named("orders", 3);
  MetadataVersion created;
  {
    auto kv = open_kv(dir);
    auto store = open_store(*kv);
    CHECK(store->revision() == kAbsentVersion);
    created = create(*store, orders);
    CHECK(created == MetadataVersion(1));
    auto again = store->create_topic(orders, {led_by(1), led_by(1), led_by(1)});
    CHECK(again.status().code() == ErrorCode::already_exists);
  }
  auto kv = open_kv(dir);
  auto store = open_store(*kv);
  CHECK(store->revision() == created);
  auto snapshot = store->snapshot();
  REQUIRE(snapshot.ok());
  REQUIRE(snapshot->topics.size() == 1);
  CHECK(snapshot->topics.at("orders").value == orders);
  CHECK(snapshot->topics.at("orders").version == created);
  REQUIRE(snapshot->partitions.size() == 3);
  CHECK(snapshot->partitions.at(TopicPartition{"orders", PartitionId(2)}).value == led_by(1));
  CHECK(snapshot->revision == created);
}

TEST_CASE("a partition-state update based on a version that moved fails and changes nothing",
          "[replication][metadata]") {
  TempDir dir;
  auto kv = open_kv(dir);
  auto store = open_store(*kv);
  const MetadataVersion created = create(*store, topic_named("orders", 1));
  const TopicPartition tp{"orders", PartitionId(0)};

  PartitionState moved = led_by(1);
  moved.leader_epoch = LeaderEpoch(1);
  auto first = store->update_partition_state(tp, moved, created);
  REQUIRE(first.ok());
  CHECK(*first > created);

  PartitionState stale = led_by(2);
  auto second = store->update_partition_state(tp, stale, created);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == kVersionConflict);
  CHECK(second.status().message().find("orders-0") != std::string::npos);
  auto now = store->get_partition_state(tp);
  REQUIRE(now.ok());
  REQUIRE(now->has_value());
  CHECK((*now)->value == moved);
  CHECK((*now)->version == *first);

  auto missing = store->update_partition_state({"orders", PartitionId(5)}, stale, *first);
  CHECK(missing.status().code() == ErrorCode::not_found);

  SECTION("topic updates compare too, and add the new partitions' states atomically") {
    auto topic = store->get_topic("orders");
    REQUIRE(topic.ok());
    TopicRecord grown = (*topic)->value;
    grown.partition_count = 3;
    auto stale_grow = store->update_topic(grown, MetadataVersion(first->value() + 7),
                                          {led_by(1), led_by(1)});
    CHECK(stale_grow.status().code() == kVersionConflict);
    auto bad_count = store->update_topic(grown, (*topic)->version, {led_by(1)});
    CHECK(bad_count.status().code() == ErrorCode::invalid_argument);
    auto grow = store->update_topic(grown, (*topic)->version, {led_by(1), led_by(1)});
    REQUIRE(grow.ok());
    auto snapshot = store->snapshot();
    REQUIRE(snapshot.ok());
    CHECK(snapshot->partitions.size() == 3);
    CHECK(snapshot->topics.at("orders").value.partition_count == 3);
  }
  SECTION("delete removes the topic with every partition state") {
    // The topic record is still at `created`: a partition update does not move it.
    CHECK(store->delete_topic("orders", *first).status().code() == kVersionConflict);
    REQUIRE(store->delete_topic("orders", std::nullopt).ok());
    auto snapshot = store->snapshot();
    REQUIRE(snapshot.ok());
    CHECK(snapshot->topics.empty());
    CHECK(snapshot->partitions.empty());
    CHECK(store->delete_topic("orders", std::nullopt).status().code() == ErrorCode::not_found);
  }
}

TEST_CASE("producer-id blocks never overlap, across threads and reopens",
          "[replication][metadata]") {
  TempDir dir;
  std::vector<ProducerIdBlock> blocks;
  std::mutex mu;
  for (int reopen = 0; reopen < 3; ++reopen) {
    auto kv = open_kv(dir);
    auto store = open_store(*kv);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 5; ++i) {
          auto block = store->allocate_producer_ids(100);
          REQUIRE(block.ok());
          std::lock_guard lock(mu);
          blocks.push_back(*block);
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  CHECK(blocks.size() == 60);
  std::set<std::int64_t> firsts;
  for (const auto& b : blocks) {
    CHECK(b.count == 100);
    firsts.insert(b.first);
  }
  CHECK(firsts.size() == blocks.size());
  // Disjoint: sorted by start, each ends before the next begins.
  std::int64_t last_end = 0;
  for (std::int64_t first : firsts) {
    CHECK(first >= last_end);
    last_end = first + 100;
  }
  TempDir other;
  auto kv = open_kv(other);
  auto store = open_store(*kv);
  CHECK(store->allocate_producer_ids(0).status().code() == ErrorCode::invalid_argument);
}

TEST_CASE("the cluster id is created once", "[replication][metadata]") {
  TempDir dir;
  auto kv = open_kv(dir);
  auto store = open_store(*kv);
  CHECK_FALSE(store->cluster_id().value().has_value());
  CHECK(store->init_cluster_id("first").value() == "first");
  CHECK(store->init_cluster_id("second").value() == "first");
  CHECK(store->cluster_id().value() == std::optional<std::string>("first"));
}

TEST_CASE("a watch sees every change after its revision, in order", "[replication][metadata]") {
  TempDir dir;
  auto kv = open_kv(dir);
  auto store = open_store(*kv);
  create(*store, topic_named("before", 1));
  auto snapshot = store->snapshot();
  REQUIRE(snapshot.ok());

  std::vector<std::string> seen;  // only touched by callbacks, one at a time
  MetadataWatcher watcher;
  watcher.on_topic = [&](const TopicChange& c) {
    seen.push_back("topic " + c.name + (c.record ? " put" : " deleted") + " @" +
                   std::to_string(c.revision.value()));
  };
  watcher.on_partition = [&](const PartitionChange& c) {
    seen.push_back("partition " + c.partition.to_string() + (c.state ? " put" : " deleted") +
                   " @" + std::to_string(c.revision.value()));
  };
  auto id = store->watch(snapshot->revision, watcher);
  REQUIRE(id.ok());
  CHECK(store->watch(MetadataVersion(0), watcher).status().code() == ErrorCode::out_of_range);

  const MetadataVersion created = create(*store, topic_named("orders", 2));
  auto moved = store->update_partition_state({"orders", PartitionId(1)}, led_by(2), created);
  REQUIRE(moved.ok());
  REQUIRE(store->delete_topic("orders", std::nullopt).ok());
  CHECK(seen == std::vector<std::string>{
                    "topic orders put @2", "partition orders-0 put @2", "partition orders-1 put @2",
                    "partition orders-1 put @3", "topic orders deleted @4",
                    "partition orders-0 deleted @4", "partition orders-1 deleted @4"});

  store->cancel_watch(*id);
  create(*store, topic_named("after", 1));
  CHECK(seen.size() == 7);
}

TEST_CASE("a watch callback may write to the store and cancel itself", "[replication][metadata]") {
  TempDir dir;
  auto kv = open_kv(dir);
  auto store = open_store(*kv);
  std::vector<std::int64_t> revisions;
  WatchId id = 0;
  MetadataWatcher watcher;
  watcher.on_partition = [&](const PartitionChange& c) {
    revisions.push_back(c.revision.value());
    if (revisions.size() == 1) {
      // Re-entrant write: queued and delivered after this callback returns.
      REQUIRE(store->update_partition_state(c.partition, led_by(3), c.revision).ok());
    } else {
      store->cancel_watch(id);
    }
  };
  auto watched = store->watch(store->revision(), watcher);
  REQUIRE(watched.ok());
  id = *watched;
  create(*store, topic_named("orders", 1));
  const MetadataVersion now = store->revision();
  REQUIRE(store->update_partition_state({"orders", PartitionId(0)}, led_by(4), now).ok());
  CHECK(revisions == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("a data directory of the layout before the metadata store opens unchanged",
          "[replication][metadata][migration]") {
  TempDir dir;
  {
    // What main wrote: raw KvStore keys, and the group view beside them.
    auto kv = open_kv(dir);
    REQUIRE(kv->put("cluster-id", "0123456789abcdef0123456789abcdef").ok());
    REQUIRE(kv->put("producer-id-next", "3000").ok());
    REQUIRE(kv->put("topics/orders", "partitions=4\ninternal=0\nconfig.retention.ms=5000\n").ok());
    REQUIRE(kv->put("topics/__consumer_offsets",
                    "partitions=1\ninternal=1\nconfig.durability=fsync\nconfig.retention.ms=-1\n")
                .ok());
    REQUIRE(kv->put("offsets/g\x1forders\x1f" "0", "12").ok());
  }
  std::string orders_id;
  {
    auto kv = open_kv(dir);
    auto store = open_store(*kv, BrokerId(7));
    CHECK(store->cluster_id().value() == std::optional<std::string>("0123456789abcdef0123456789abcdef"));
    auto snapshot = store->snapshot();
    REQUIRE(snapshot.ok());
    REQUIRE(snapshot->topics.size() == 2);
    const TopicRecord& orders = snapshot->topics.at("orders").value;
    CHECK(orders.partition_count == 4);
    CHECK_FALSE(orders.is_internal);
    CHECK(orders.configs == std::map<std::string, std::string>{{"retention.ms", "5000"}});
    CHECK(orders.topic_id.size() == 32);
    orders_id = orders.topic_id;
    const TopicRecord& offsets = snapshot->topics.at("__consumer_offsets").value;
    CHECK(offsets.is_internal);
    CHECK(offsets.configs.size() == 2);
    CHECK(snapshot->partitions.size() == 5);
    CHECK(snapshot->partitions.at(TopicPartition{"orders", PartitionId(3)}).value == led_by(7));
    // Producer ids go on after the old counter.
    CHECK(store->allocate_producer_ids(1000).value().first == 3000);
    // The old keys are gone; what is not metadata is untouched.
    CHECK_FALSE(kv->get("topics/orders").value().has_value());
    CHECK_FALSE(kv->get("cluster-id").value().has_value());
    CHECK_FALSE(kv->get("producer-id-next").value().has_value());
    CHECK(kv->get("offsets/g\x1forders\x1f" "0").value() == std::optional<std::string>("12"));
  }
  // A second open migrates nothing again: the topic id stays.
  auto kv = open_kv(dir);
  auto store = open_store(*kv, BrokerId(7));
  CHECK(store->get_topic("orders").value()->value.topic_id == orders_id);
  CHECK(store->allocate_producer_ids(1000).value().first == 4000);
}

TEST_CASE("a damaged record fails the open or read with corruption", "[replication][metadata]") {
  TempDir dir;
  auto kv = open_kv(dir);
  SECTION("an old topic record") {
    REQUIRE(kv->put("topics/orders", "internal=0\n").ok());
    auto store = LocalMetadataStore::open(*kv);
    CHECK(store.status().code() == ErrorCode::corruption);
  }
  SECTION("a new one") {
    auto store = open_store(*kv);
    REQUIRE(kv->put("meta/topics/orders", "1 {").ok());
    CHECK(store->snapshot().status().code() == ErrorCode::corruption);
  }
}

}  // namespace
}  // namespace strata::replication
