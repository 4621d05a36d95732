#include "replication/etcd/etcd_watcher.h"

#include <atomic>
#include <mutex>
#include <vector>

#include <catch2/catch.hpp>

#include "replication/etcd/etcd_client.h"
#include "tests/integration/etcd/etcd_test_helpers.h"
#include "tests/support/wait.h"

namespace strata::replication {
namespace {

using namespace std::chrono_literals;
using testing::etcd_client;
using testing::started_etcd;
using testing::wait_until;

// Every event a watcher delivered, as "put k=v" / "delete k", and how it ended.
struct EventLog {
  std::mutex mu;
  std::vector<std::string> lines;    // guarded by mu
  std::vector<std::int64_t> revisions;  // guarded by mu
  std::atomic<bool> ended{false};
  Status why;  // guarded by mu

  EtcdWatcher::EventsCallback on_events() {
    return [this](const std::vector<EtcdEvent>& events) {
      std::lock_guard lock(mu);
      for (const EtcdEvent& e : events) {
        lines.push_back(e.type == EtcdEvent::Type::put ? "put " + e.kv.key + "=" + e.kv.value
                                                       : "delete " + e.kv.key);
        revisions.push_back(e.kv.mod_revision);
      }
    };
  }
  EtcdWatcher::EndedCallback on_ended() {
    return [this](const Status& status) {
      std::lock_guard lock(mu);
      why = status;
      ended = true;
    };
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

TEST_CASE("etcd watch sees puts and deletes under its prefix in order, across an etcd restart",
          "[etcd][watch]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  EventLog log;
  auto watcher = EtcdWatcher::start(*client, "/t/w/", 0, log.on_events(), log.on_ended());
  REQUIRE(wait_until([&] { return watcher->is_connected(); }, 10s));

  REQUIRE(client->put("/t/w/a", "1").ok());
  REQUIRE(client->put("/t/other", "not watched").ok());
  REQUIRE(client->put("/t/w/b", "2").ok());
  REQUIRE(client->erase("/t/w/a").ok());
  REQUIRE(wait_until([&] { return log.size() == 3; }, 10s));

  // A crash of the member: the stream breaks; the changes made right after
  // the restart, before the watcher is back, must still arrive, once each.
  etcd->kill();
  INFO(etcd->error());
  REQUIRE(etcd->start());
  REQUIRE(client->put("/t/w/c", "3").ok());
  REQUIRE(client->erase("/t/w/b").ok());
  REQUIRE(wait_until([&] { return log.size() >= 5; }, 20s));
  REQUIRE(client->put("/t/w/a", "4").ok());
  REQUIRE(wait_until([&] { return log.size() >= 6; }, 10s));

  watcher->stop();
  const std::vector<std::string> expected = {"put /t/w/a=1", "put /t/w/b=2",   "delete /t/w/a",
                                             "put /t/w/c=3", "delete /t/w/b", "put /t/w/a=4"};
  CHECK(log.snapshot() == expected);
  {
    std::lock_guard lock(log.mu);
    for (std::size_t i = 1; i < log.revisions.size(); ++i) {
      CHECK(log.revisions[i] > log.revisions[i - 1]);
    }
  }
  CHECK_FALSE(log.ended.load());
}

TEST_CASE("etcd watch from a past revision replays the changes since", "[etcd][watch]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  auto first = client->put("/t/w/a", "1");
  REQUIRE(first.ok());
  REQUIRE(client->put("/t/w/a", "2").ok());
  EventLog log;
  auto watcher = EtcdWatcher::start(*client, "/t/w/", *first + 1, log.on_events(), log.on_ended());
  REQUIRE(wait_until([&] { return log.size() == 1; }, 10s));
  CHECK(log.snapshot() == std::vector<std::string>{"put /t/w/a=2"});
  CHECK(watcher->next_revision() == *first + 2);
}

TEST_CASE("etcd watch from a compacted revision ends with out_of_range", "[etcd][watch]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  auto first = client->put("/t/w/a", "1");
  REQUIRE(first.ok());
  auto last = client->put("/t/w/a", "2");
  REQUIRE(last.ok());
  REQUIRE(client->compact(*last).ok());
  EventLog log;
  auto watcher = EtcdWatcher::start(*client, "/t/w/", *first, log.on_events(), log.on_ended());
  REQUIRE(wait_until([&] { return log.ended.load(); }, 10s));
  std::lock_guard lock(log.mu);
  CHECK(log.why.code() == ErrorCode::out_of_range);
  CHECK_THAT(log.why.message(), Catch::Contains("compacted"));
  CHECK(log.lines.empty());
}

TEST_CASE("etcd watch with a dead endpoint first still delivers", "[etcd][watch][endpoints]") {
  auto etcd = started_etcd();
  const std::string dead = "http://127.0.0.1:" + std::to_string(testing::pick_free_port());
  auto client = etcd_client(dead + "," + etcd->client_url());
  EventLog log;
  auto watcher = EtcdWatcher::start(*client, "/t/w/", 0, log.on_events(), log.on_ended());
  REQUIRE(wait_until([&] { return watcher->is_connected(); }, 10s));
  REQUIRE(client->put("/t/w/a", "1").ok());
  REQUIRE(wait_until([&] { return log.size() == 1; }, 10s));
}

}  // namespace
}  // namespace strata::replication
