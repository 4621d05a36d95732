// broker/topic_manager with its two halves, topic_table and replica_manager:
// real RocksDB, real partition logs in a temp dir.

#include "broker/topic_manager.h"

#include <filesystem>
#include <fstream>

#include <asio/thread_pool.hpp>
#include <catch2/catch.hpp>

#include "replication/metadata/local_metadata_store.h"
#include "storage/kv_store.h"
#include "storage/log_manager.h"
#include "tests/support/temp_dir.h"

namespace strata::broker {
namespace {

using strata::testing::TempDir;

// One standalone node's parts, opened on `dir` and closed in reverse.
struct Node {
  explicit Node(const std::filesystem::path& dir) {
    auto opened_kv = storage::KvStore::open((dir / "kv").string());
    REQUIRE(opened_kv.ok());
    kv = std::move(opened_kv).value();
    auto opened_store = replication::LocalMetadataStore::open(*kv, {BrokerId(3)});
    REQUIRE(opened_store.ok());
    store = std::move(opened_store).value();
    auto opened_logs = storage::LogManager::open(dir);
    REQUIRE(opened_logs.ok());
    logs = std::move(opened_logs).value();
    topics = std::make_unique<TopicManager>(*store, *logs, pool, TopicDefaults{}, BrokerId(3));
    REQUIRE(topics->load().ok());
  }
  ~Node() {
    topics->stop();
    Status closed = logs->close();
    CHECK(closed.ok());
    pool.join();
  }

  asio::thread_pool pool{2};
  std::unique_ptr<storage::KvStore> kv;
  std::unique_ptr<replication::LocalMetadataStore> store;
  std::unique_ptr<storage::LogManager> logs;
  std::unique_ptr<TopicManager> topics;
};

TEST_CASE("topics, their configs and topic ids survive a restart", "[broker][topics]") {
  TempDir dir;
  std::string topic_id;
  {
    Node node(dir.path());
    REQUIRE(node.topics->create_topic("orders", 2, {{"retention.ms", "1000"}}).ok());
    CHECK(node.topics->create_topic("orders", 2, {}).code() == ErrorCode::already_exists);
    REQUIRE(node.topics->add_partitions("orders", 3).ok());
    auto topic = node.topics->find_topic("orders");
    REQUIRE(topic.ok());
    topic_id = (*topic)->topic_id;
    CHECK(topic_id.size() == 32);
    // The store holds this broker as replica, leader and ISR of each partition.
    auto state = node.store->get_partition_state({"orders", PartitionId(2)});
    REQUIRE(state.ok());
    REQUIRE(state->has_value());
    CHECK((*state)->value.leader == BrokerId(3));
    CHECK((*state)->value.isr == std::vector<BrokerId>{BrokerId(3)});
  }
  Node node(dir.path());
  auto topic = node.topics->find_topic("orders");
  REQUIRE(topic.ok());
  CHECK((*topic)->partitions.size() == 3);
  CHECK((*topic)->topic_id == topic_id);
  CHECK((*topic)->config.overrides() == std::map<std::string, std::string>{{"retention.ms", "1000"}});
  CHECK(std::filesystem::is_directory(dir / "orders-2"));
}

TEST_CASE("a deleted topic leaves neither metadata nor directories, and its name can be reused",
          "[broker][topics]") {
  TempDir dir;
  Node node(dir.path());
  REQUIRE(node.topics->create_topic("gone", 2, {}).ok());
  const std::string first_id = (*node.topics->find_topic("gone"))->topic_id;
  REQUIRE(node.topics->delete_topic("gone").ok());
  CHECK(node.topics->find_topic("gone").status().code() == ErrorCode::not_found);
  CHECK_FALSE(node.store->get_topic("gone").value().has_value());
  CHECK_FALSE(std::filesystem::exists(dir / "gone-0"));
  CHECK_FALSE(std::filesystem::exists(dir / "gone-1"));
  CHECK(node.topics->delete_topic("gone").code() == ErrorCode::not_found);

  REQUIRE(node.topics->create_topic("gone", 1, {}).ok());
  CHECK((*node.topics->find_topic("gone"))->topic_id != first_id);
}

TEST_CASE("a partition directory left by a crash does not leak into a new topic",
          "[broker][topics]") {
  TempDir dir;
  {
    Node node(dir.path());
    REQUIRE(node.topics->create_topic("reborn", 1, {}).ok());
  }
  // The crash between the metadata delete and the directory removal: the
  // directory stays (with a stray file to recognise it) and the topic is gone.
  std::ofstream(dir / "reborn-0" / "stray") << "x";
  {
    auto kv = storage::KvStore::open((dir / "kv").string());
    REQUIRE(kv.ok());
    auto store = replication::LocalMetadataStore::open(**kv);
    REQUIRE(store.ok());
    REQUIRE((*store)->delete_topic("reborn", std::nullopt).ok());
  }
  Node node(dir.path());
  CHECK(node.topics->find_topic("reborn").status().code() == ErrorCode::not_found);
  REQUIRE(node.topics->create_topic("reborn", 1, {}).ok());
  CHECK_FALSE(std::filesystem::exists(dir / "reborn-0" / "stray"));
  CHECK((*node.topics->find_topic("reborn"))->partitions.at(0)->log_end_offset() == Offset(0));
}

TEST_CASE("internal topics cannot be deleted", "[broker][topics]") {
  TempDir dir;
  Node node(dir.path());
  REQUIRE(node.topics->create_topic("__consumer_offsets", 1, {}, true).ok());
  CHECK(node.topics->delete_topic("__consumer_offsets").code() == ErrorCode::invalid_argument);
  CHECK(node.topics->find_topic("__consumer_offsets").ok());
}

}  // namespace
}  // namespace strata::broker
