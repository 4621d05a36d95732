#include "tests/unit/group/coordinator_harness.h"

#include <catch2/catch.hpp>

namespace strata::testing {

CoordinatorHarness::CoordinatorHarness(broker::GroupCoordinatorOptions options)
    : dir_("strata-group-test"), options_(options) {
  open();
}

CoordinatorHarness::~CoordinatorHarness() { close(); }

broker::GroupCoordinatorOptions CoordinatorHarness::test_options() {
  broker::GroupCoordinatorOptions o;
  o.min_session_timeout_ms = 10;
  o.max_session_timeout_ms = 60000;
  o.initial_rebalance_delay_ms = 0;
  o.tick_ms = 5;
  return o;
}

void CoordinatorHarness::open() {
  auto kv = storage::KvStore::open((dir_ / "kv").string());
  REQUIRE(kv.ok());
  kv_ = std::move(kv).value();
  auto metadata = replication::LocalMetadataStore::open(*kv_);
  REQUIRE(metadata.ok());
  metadata_ = std::move(metadata).value();
  auto logs = storage::LogManager::open(dir_.path());
  REQUIRE(logs.ok());
  logs_ = std::move(logs).value();
  pool_ = std::make_unique<asio::thread_pool>(2);
  topics_ = std::make_unique<broker::TopicManager>(*metadata_, *logs_, *pool_,
                                                   broker::TopicDefaults{}, BrokerId(0));
  REQUIRE(topics_->load().ok());
  const std::string name(broker::kOffsetsTopic);
  if (!topics_->find_topic(name).ok()) {
    REQUIRE(topics_->create_topic(name, 1, {{"durability", "fsync"}}, true).ok());
  }
  if (!topics_->find_topic("orders").ok()) {
    REQUIRE(topics_->create_topic("orders", 6, {}, false).ok());
  }
  auto topic = topics_->find_topic(name);
  REQUIRE(topic.ok());
  offsets_ = std::make_unique<broker::OffsetsStore>(*kv_, (*topic)->partitions.at(0));
  REQUIRE(offsets_->load().ok());
  coordinator_ = std::make_unique<broker::GroupCoordinator>(*offsets_, *pool_, options_);
  REQUIRE(coordinator_->load().ok());
  coordinator_->start();
}

void CoordinatorHarness::close() {
  if (coordinator_) coordinator_->stop();
  if (topics_) topics_->stop();
  if (logs_) {
    Status closed = logs_->close();
    CHECK(closed.ok());
  }
  if (pool_) pool_->join();
  coordinator_.reset();
  offsets_.reset();
  topics_.reset();
  pool_.reset();
  logs_.reset();
  metadata_.reset();
  kv_.reset();
}

void CoordinatorHarness::reopen() {
  close();
  open();
}

}  // namespace strata::testing
