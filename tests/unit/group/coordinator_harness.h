#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <asio/thread_pool.hpp>
#include <catch2/catch.hpp>

#include "broker/group/group_coordinator.h"
#include "broker/group/offsets_store.h"
#include "broker/topic_manager.h"
#include "replication/metadata/local_metadata_store.h"
#include "storage/kv_store.h"
#include "storage/log_manager.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

namespace strata::testing {

// A real GroupCoordinator over a real OffsetsStore (RocksDB view and a
// __consumer_offsets log) in a TempDir, with test-sized timeouts. reopen()
// stops everything and starts again on the same files (a restart).
class CoordinatorHarness {
 public:
  explicit CoordinatorHarness(broker::GroupCoordinatorOptions options = test_options());
  ~CoordinatorHarness();

  static broker::GroupCoordinatorOptions test_options();

  broker::GroupCoordinator& coordinator() { return *coordinator_; }
  broker::OffsetsStore& offsets() { return *offsets_; }
  broker::TopicManager& topics() { return *topics_; }
  void reopen();

 private:
  void open();
  void close();

  TempDir dir_;
  broker::GroupCoordinatorOptions options_;
  std::unique_ptr<storage::KvStore> kv_;
  std::unique_ptr<replication::LocalMetadataStore> metadata_;
  std::unique_ptr<storage::LogManager> logs_;
  std::unique_ptr<asio::thread_pool> pool_;
  std::unique_ptr<broker::TopicManager> topics_;
  std::unique_ptr<broker::OffsetsStore> offsets_;
  std::unique_ptr<broker::GroupCoordinator> coordinator_;
};

// An answer that arrives later, on another thread. get() waits for it
// (failing the test after 5 s).
template <typename T>
class Answer {
 public:
  void set(T value) {
    std::lock_guard lock(mu_);
    value_ = std::move(value);
    ++count_;
  }
  bool ready() const {
    std::lock_guard lock(mu_);
    return value_.has_value();
  }
  int count() const {
    std::lock_guard lock(mu_);
    return count_;
  }
  T get(std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
    REQUIRE(wait_until([this] { return ready(); }, timeout));
    std::lock_guard lock(mu_);
    return *value_;
  }
  // A callback that stores the answer; keeps `this` borrowed.
  auto callback() {
    return [this](T value) { set(std::move(value)); };
  }

 private:
  mutable std::mutex mu_;
  std::optional<T> value_;
  int count_ = 0;
};

}  // namespace strata::testing
