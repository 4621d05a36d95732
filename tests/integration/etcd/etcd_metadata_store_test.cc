#include "replication/etcd/etcd_metadata_store.h"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/integration/etcd/etcd_test_helpers.h"
#include "tests/support/wait.h"

namespace strata::replication {
namespace {

using namespace std::chrono_literals;
using testing::etcd_client;
using testing::started_etcd;
using testing::wait_until;

TopicRecord topic(const std::string& name, std::int32_t partitions) {
  TopicRecord t;
  t.name = name;
  t.topic_id = new_topic_id();
  t.partition_count = partitions;
  t.configs = {{"retention.ms", "60000"}};
  return t;
}

PartitionState led_by(std::int32_t leader, std::int32_t epoch = 0) {
  PartitionState s;
  s.replicas = {BrokerId(leader), BrokerId(leader + 1)};
  s.leader = BrokerId(leader);
  s.leader_epoch = LeaderEpoch(epoch);
  s.isr = s.replicas;
  return s;
}

EtcdMetadataStoreOptions cluster(const std::string& name) {
  EtcdMetadataStoreOptions options;
  options.key_prefix = "/strata/" + name + "/";
  return options;
}

TEST_CASE("etcd metadata store creates, reads, updates and deletes topics atomically",
          "[etcd][metadata]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  EtcdMetadataStore store(*client, cluster("a"));

  const TopicRecord orders = topic("orders", 2);
  auto created = store.create_topic(orders, {led_by(1), led_by(2)});
  REQUIRE(created.ok());
  auto again = store.create_topic(topic("orders", 1), {led_by(1)});
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().code() == ErrorCode::already_exists);

  auto read = store.get_topic("orders");
  REQUIRE(read.ok());
  REQUIRE(read->has_value());
  CHECK((*read)->value == orders);
  CHECK((*read)->version == *created);
  auto state = store.get_partition_state({"orders", PartitionId(1)});
  REQUIRE(state.ok());
  REQUIRE(state->has_value());
  CHECK((*state)->value == led_by(2));

  TopicRecord grown = orders;
  grown.partition_count = 3;
  auto stale = store.update_topic(grown, MetadataVersion(created->value() - 1), {led_by(3)});
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.status().code() == kVersionConflict);
  auto updated = store.update_topic(grown, *created, {led_by(3)});
  REQUIRE(updated.ok());

  auto snapshot = store.snapshot();
  REQUIRE(snapshot.ok());
  CHECK(snapshot->revision >= *updated);
  REQUIRE(snapshot->topics.count("orders") == 1);
  CHECK(snapshot->topics.at("orders").value.partition_count == 3);
  CHECK(snapshot->partitions.size() == 3);
  CHECK(snapshot->partitions.at({"orders", PartitionId(2)}).value == led_by(3));

  auto deleted = store.delete_topic("orders", std::nullopt);
  REQUIRE(deleted.ok());
  auto gone = store.snapshot();
  REQUIRE(gone.ok());
  CHECK(gone->topics.empty());
  CHECK(gone->partitions.empty());
  auto missing = store.delete_topic("orders", std::nullopt);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == ErrorCode::not_found);
}

TEST_CASE("etcd metadata store changes partition state by compare-and-set only",
          "[etcd][metadata]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  EtcdMetadataStore controller_a(*client, cluster("a"));
  EtcdMetadataStore controller_b(*client, cluster("a"));
  REQUIRE(controller_a.create_topic(topic("t", 1), {led_by(1)}).ok());
  const TopicPartition tp{"t", PartitionId(0)};
  auto read = controller_a.get_partition_state(tp);
  REQUIRE(read.ok());
  REQUIRE(read->has_value());
  const MetadataVersion seen = (*read)->version;

  auto won = controller_a.update_partition_state(tp, led_by(2, 1), seen);
  REQUIRE(won.ok());
  auto lost = controller_b.update_partition_state(tp, led_by(3, 1), seen);
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.status().code() == kVersionConflict);
  auto now = controller_b.get_partition_state(tp);
  REQUIRE(now.ok());
  CHECK((*now)->value == led_by(2, 1));
  CHECK((*now)->version == *won);

  auto absent = controller_b.update_partition_state({"t", PartitionId(7)}, led_by(1), *won);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.status().code() == ErrorCode::not_found);
}

TEST_CASE("etcd metadata store agrees on one cluster id and never hands out a producer id twice",
          "[etcd][metadata]") {
  auto etcd = started_etcd();
  auto client_a = etcd_client(etcd->client_url());
  auto client_b = etcd_client(etcd->client_url());
  EtcdMetadataStore a(*client_a, cluster("a"));
  EtcdMetadataStore b(*client_b, cluster("a"));
  EtcdMetadataStore other_cluster(*client_b, cluster("b"));

  auto none = a.cluster_id();
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  auto first = a.init_cluster_id("id-from-a");
  REQUIRE(first.ok());
  auto second = b.init_cluster_id("id-from-b");
  REQUIRE(second.ok());
  CHECK(*first == "id-from-a");
  CHECK(*second == "id-from-a");
  auto separate = other_cluster.init_cluster_id("id-of-b");
  REQUIRE(separate.ok());
  CHECK(*separate == "id-of-b");

  // Two brokers allocating at once: every block disjoint.
  std::mutex mu;
  std::set<std::int64_t> firsts;
  std::atomic<int> failures{0};
  const auto allocate = [&](EtcdMetadataStore& store) {
    for (int i = 0; i < 20; ++i) {
      auto block = store.allocate_producer_ids(10);
      if (!block.ok()) {
        ++failures;
        continue;
      }
      std::lock_guard lock(mu);
      firsts.insert(block->first);
    }
  };
  std::thread t1([&] { allocate(a); });
  std::thread t2([&] { allocate(b); });
  t1.join();
  t2.join();
  CHECK(failures.load() == 0);
  REQUIRE(firsts.size() == 40);
  std::int64_t expected = 0;
  for (std::int64_t f : firsts) {
    CHECK(f == expected);
    expected += 10;
  }
}

// Every change a metadata watch delivered, in order.
struct ChangeLog {
  std::mutex mu;
  std::vector<std::string> lines;  // guarded by mu
  std::atomic<bool> failed{false};
  Status why;  // guarded by mu

  MetadataWatcher watcher() {
    MetadataWatcher w;
    w.on_topic = [this](const TopicChange& c) {
      std::lock_guard lock(mu);
      lines.push_back("topic " + c.name + (c.record ? " put" : " delete"));
    };
    w.on_partition = [this](const PartitionChange& c) {
      std::lock_guard lock(mu);
      lines.push_back("partition " + c.partition.to_string() +
                      (c.state ? " leader=" + std::to_string(c.state->value.leader.value())
                               : " delete"));
    };
    w.on_error = [this](const Status& s) {
      std::lock_guard lock(mu);
      why = s;
      failed = true;
    };
    return w;
  }
  std::size_t size() {
    std::lock_guard lock(mu);
    return lines.size();
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mu);
    return lines;
  }
};

TEST_CASE("etcd metadata watch delivers every change after a snapshot, topic before partitions",
          "[etcd][metadata][watch]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  EtcdMetadataStore store(*client, cluster("a"));
  REQUIRE(store.create_topic(topic("before", 1), {led_by(1)}).ok());
  auto snapshot = store.snapshot();
  REQUIRE(snapshot.ok());

  ChangeLog log;
  auto id = store.watch(snapshot->revision, log.watcher());
  REQUIRE(id.ok());
  REQUIRE(store.create_topic(topic("t", 2), {led_by(1), led_by(2)}).ok());
  auto state = store.get_partition_state({"t", PartitionId(0)});
  REQUIRE(state.ok());
  REQUIRE(store.update_partition_state({"t", PartitionId(0)}, led_by(3, 1), (*state)->version).ok());
  REQUIRE(store.allocate_producer_ids(5).ok());  // not a topic change: not delivered
  REQUIRE(store.delete_topic("t", std::nullopt).ok());
  REQUIRE(wait_until([&] { return log.size() >= 7; }, 10s));
  store.cancel_watch(*id);

  const std::vector<std::string> expected = {
      "topic t put",         "partition t-0 leader=1", "partition t-1 leader=2",
      "partition t-0 leader=3", "topic t delete",      "partition t-0 delete",
      "partition t-1 delete"};
  CHECK(log.snapshot() == expected);
  CHECK_FALSE(log.failed.load());
}

TEST_CASE("etcd metadata watch from a compacted revision fails with out_of_range",
          "[etcd][metadata][watch]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  EtcdMetadataStore store(*client, cluster("a"));
  auto first = store.create_topic(topic("t", 1), {led_by(1)});
  REQUIRE(first.ok());
  auto last = store.delete_topic("t", std::nullopt);
  REQUIRE(last.ok());
  REQUIRE(client->compact(last->value()).ok());
  ChangeLog log;
  auto id = store.watch(*first, log.watcher());
  REQUIRE_FALSE(id.ok());
  CHECK(id.status().code() == ErrorCode::out_of_range);
}

}  // namespace
}  // namespace strata::replication
