#include "replication/etcd/etcd_session.h"

#include <atomic>
#include <mutex>

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

// What a session's on_lost reported, read from the test thread.
struct LossRecord {
  std::mutex mu;
  std::atomic<bool> lost{false};
  Status why;  // guarded by mu

  EtcdSession::LostCallback callback() {
    return [this](const Status& status) {
      std::lock_guard lock(mu);
      why = status;
      lost = true;
    };
  }
  Status status() {
    std::lock_guard lock(mu);
    return why;
  }
};

EtcdSessionOptions short_ttl() {
  EtcdSessionOptions options;
  options.ttl = 2s;
  return options;
}

bool key_exists(EtcdClient& client, const std::string& key) {
  auto read = client.get(key);
  return !read.ok() || read->has_value();  // unknown counts as present
}

TEST_CASE("etcd lease that is not renewed expires and takes its keys", "[etcd][lease]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  auto lease = client->lease_grant(2s);
  REQUIRE(lease.ok());
  CHECK(lease->ttl_seconds >= 2);
  REQUIRE(client->put("/t/ephemeral", "x", lease->id).ok());
  REQUIRE(key_exists(*client, "/t/ephemeral"));
  CHECK(wait_until([&] { return !key_exists(*client, "/t/ephemeral"); }, 15s, 100ms));
  auto renewed = client->lease_keep_alive_once(lease->id);
  REQUIRE_FALSE(renewed.ok());
  CHECK(renewed.status().code() == ErrorCode::not_found);
  auto put = client->put("/t/ephemeral", "y", lease->id);
  REQUIRE_FALSE(put.ok());
  CHECK(put.status().code() == ErrorCode::not_found);
}

TEST_CASE("etcd session keeps its lease alive past the TTL", "[etcd][session]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  LossRecord loss;
  auto session = EtcdSession::start(*client, short_ttl(), loss.callback());
  REQUIRE(session.ok());
  REQUIRE((*session)->put("/t/member", "1").ok());
  // Three TTLs: the key would be gone twice over without renewals.
  const auto until = std::chrono::steady_clock::now() + 6s;
  CHECK_FALSE(wait_until([&] { return loss.lost.load() || !key_exists(*client, "/t/member"); },
                         std::chrono::duration_cast<std::chrono::milliseconds>(
                             until - std::chrono::steady_clock::now()),
                         200ms));
  CHECK((*session)->is_alive());
  (*session)->close();
  CHECK_FALSE(key_exists(*client, "/t/member"));  // revoked at once
  CHECK_FALSE(loss.lost.load());                  // a close is not a loss
}

TEST_CASE("etcd session reports the loss of a lease revoked behind its back",
          "[etcd][session]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  LossRecord loss;
  auto session = EtcdSession::start(*client, short_ttl(), loss.callback());
  REQUIRE(session.ok());
  REQUIRE((*session)->put("/t/member", "1").ok());
  auto other = etcd_client(etcd->client_url());
  REQUIRE(other->lease_revoke((*session)->lease_id()).ok());
  REQUIRE(wait_until([&] { return loss.lost.load(); }, 10s, 20ms));
  CHECK(loss.status().code() == ErrorCode::not_found);
  CHECK_THAT(loss.status().message(), Catch::Contains("lost"));
  CHECK_FALSE((*session)->is_alive());
  CHECK_FALSE(key_exists(*client, "/t/member"));
}

TEST_CASE("etcd session counts its lease lost when etcd stops answering for a TTL, and "
          "etcd expires it",
          "[etcd][session]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  LossRecord loss;
  auto session = EtcdSession::start(*client, short_ttl(), loss.callback());
  REQUIRE(session.ok());
  REQUIRE((*session)->put("/t/member", "1").ok());
  etcd->pause();
  const bool lost = wait_until([&] { return loss.lost.load(); }, 15s, 20ms);
  etcd->resume();
  REQUIRE(lost);
  CHECK(loss.status().code() == ErrorCode::unavailable);
  CHECK_THAT(loss.status().message(), Catch::Contains("presumed expired"));
  // The member, resumed, finds the lease past its TTL and deletes its keys.
  CHECK(wait_until([&] { return !key_exists(*client, "/t/member"); }, 15s, 100ms));
}

TEST_CASE("etcd session outlives a crash and restart of etcd shorter than its TTL",
          "[etcd][session]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  LossRecord loss;
  EtcdSessionOptions options;
  options.ttl = 6s;
  auto session = EtcdSession::start(*client, options, loss.callback());
  REQUIRE(session.ok());
  REQUIRE((*session)->put("/t/member", "1").ok());
  etcd->kill();
  INFO(etcd->error());
  REQUIRE(etcd->start());
  // The restarted member extends every lease by its TTL; the session's
  // renewals reach it again and the key stays, past two more TTLs.
  CHECK_FALSE(wait_until([&] { return loss.lost.load() || !key_exists(*client, "/t/member"); },
                         12s, 200ms));
  CHECK((*session)->is_alive());
}

TEST_CASE("etcd claim lets one live session hold a key; a second fails with a clear error",
          "[etcd][session][registration]") {
  auto etcd = started_etcd();
  auto first_client = etcd_client(etcd->client_url());
  auto second_client = etcd_client(etcd->client_url());
  LossRecord first_loss, second_loss;
  auto first = EtcdSession::start(*first_client, short_ttl(), first_loss.callback());
  auto second = EtcdSession::start(*second_client, short_ttl(), second_loss.callback());
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  const std::string key = "/strata/test/brokers/1";

  auto claimed = (*first)->claim(key, "127.0.0.1:9092");
  REQUIRE(claimed.ok());
  CHECK((*first)->claim(key, "127.0.0.1:9092").ok());  // a retried claim is ours

  auto refused = (*second)->claim(key, "127.0.0.1:9093");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == ErrorCode::already_exists);
  CHECK_THAT(refused.status().message(),
             Catch::Contains("held by lease " + std::to_string((*first)->lease_id())));
  CHECK_THAT(refused.status().message(), Catch::Contains("127.0.0.1:9092"));

  // Once the holder is gone (closed here; an expired lease is the same) the
  // id is free again.
  (*first)->close();
  auto taken_over = (*second)->claim(key, "127.0.0.1:9093");
  INFO(taken_over.status().to_string());
  REQUIRE(taken_over.ok());
  auto holder = second_client->get(key);
  REQUIRE(holder.ok());
  REQUIRE(holder->has_value());
  CHECK((*holder)->lease == (*second)->lease_id());
  CHECK((*holder)->value == "127.0.0.1:9093");
}

}  // namespace
}  // namespace strata::replication
