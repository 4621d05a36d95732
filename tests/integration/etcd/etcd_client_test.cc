#include "replication/etcd/etcd_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/integration/etcd/etcd_test_helpers.h"
#include "tests/support/etcd_process.h"

namespace strata::replication {
namespace {

using testing::etcd_client;
using testing::started_etcd;

TEST_CASE("etcd keys round-trip through put, get, prefix reads and deletes", "[etcd][kv]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());

  auto first = client->put("/t/brokers/1", "alpha");
  REQUIRE(first.ok());
  auto second = client->put("/t/brokers/2", "beta");
  REQUIRE(second.ok());
  CHECK(*second > *first);
  REQUIRE(client->put("/t/brokers/1", "alpha-2").ok());
  REQUIRE(client->put("/t/other", "x").ok());

  auto one = client->get("/t/brokers/1");
  REQUIRE(one.ok());
  REQUIRE(one->has_value());
  CHECK((*one)->value == "alpha-2");
  CHECK((*one)->create_revision == *first);
  CHECK((*one)->version == 2);
  CHECK((*one)->lease == 0);

  auto absent = client->get("/t/brokers/9");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->has_value());

  auto brokers = client->get_prefix("/t/brokers/");
  REQUIRE(brokers.ok());
  REQUIRE(brokers->kvs.size() == 2);
  CHECK(brokers->kvs[0].key == "/t/brokers/1");
  CHECK(brokers->kvs[1].value == "beta");
  CHECK(brokers->revision >= brokers->kvs[0].mod_revision);

  auto erased = client->erase("/t/brokers/1");
  REQUIRE(erased.ok());
  CHECK(*erased == 1);
  auto erased_prefix = client->erase_prefix("/t/");
  REQUIRE(erased_prefix.ok());
  CHECK(*erased_prefix == 2);
  auto none = client->get_prefix("/t/");
  REQUIRE(none.ok());
  CHECK(none->kvs.empty());
}

TEST_CASE("etcd txn compare-and-swap lets one of two writers of a read win", "[etcd][txn]") {
  auto etcd = started_etcd();
  auto writer_a = etcd_client(etcd->client_url());
  auto writer_b = etcd_client(etcd->client_url());
  REQUIRE(writer_a->put("/t/partition/0", "leader=1 epoch=1").ok());
  auto read = writer_a->get("/t/partition/0");
  REQUIRE(read.ok());
  REQUIRE(read->has_value());
  const std::int64_t seen = (*read)->mod_revision;

  const auto cas = [&](const std::string& value) {
    EtcdTxn txn;
    txn.compares.push_back(EtcdCompare::mod_revision_is("/t/partition/0", seen));
    txn.then_ops.push_back(EtcdOp::put("/t/partition/0", value));
    txn.else_ops.push_back(EtcdOp::get("/t/partition/0"));
    return txn;
  };
  auto won = writer_a->txn(cas("leader=2 epoch=2"));
  REQUIRE(won.ok());
  CHECK(won->succeeded);

  auto lost = writer_b->txn(cas("leader=3 epoch=2"));
  REQUIRE(lost.ok());
  CHECK_FALSE(lost->succeeded);
  REQUIRE(lost->results.size() == 1);
  REQUIRE(lost->results[0].kvs.size() == 1);
  CHECK(lost->results[0].kvs[0].value == "leader=2 epoch=2");

  auto failed = writer_b->txn_or_fail("partition 0 state", cas("leader=3 epoch=2"));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == ErrorCode::stale_epoch);
  CHECK_THAT(failed.status().message(), Catch::Contains("partition 0 state: compare failed"));

  SECTION("compares on create revision, version and value") {
    auto current = writer_b->get("/t/partition/0");
    REQUIRE(current.ok());
    REQUIRE(current->has_value());
    EtcdTxn txn;
    txn.compares.push_back(EtcdCompare::create_revision_is("/t/partition/0",
                                                           (*current)->create_revision));
    txn.compares.push_back(EtcdCompare::version_is("/t/partition/0", 2));
    txn.compares.push_back(EtcdCompare::value_is("/t/partition/0", "leader=2 epoch=2"));
    txn.compares.push_back(EtcdCompare::is_absent("/t/partition/1"));
    txn.then_ops.push_back(EtcdOp::put("/t/partition/1", "leader=1 epoch=1"));
    txn.then_ops.push_back(EtcdOp::erase("/t/partition/0"));
    auto applied = writer_b->txn(txn);
    REQUIRE(applied.ok());
    CHECK(applied->succeeded);
    REQUIRE(applied->results.size() == 2);
    CHECK(applied->results[1].deleted == 1);
    auto again = writer_b->txn(txn);  // partition/1 exists now, partition/0 does not
    REQUIRE(again.ok());
    CHECK_FALSE(again->succeeded);
  }
}

TEST_CASE("etcd client with a dead endpoint first still reads and writes", "[etcd][endpoints]") {
  auto etcd = started_etcd();
  const std::string dead = "http://127.0.0.1:" + std::to_string(testing::pick_free_port());
  auto client = etcd_client(dead + "," + etcd->client_url());
  // Every call finds the live member, whichever endpoint it starts from.
  for (int i = 0; i < 3; ++i) {
    auto put = client->put("/t/k" + std::to_string(i), "v");
    INFO(put.status().to_string());
    REQUIRE(put.ok());
  }
  auto read = client->get_prefix("/t/");
  REQUIRE(read.ok());
  CHECK(read->kvs.size() == 3);
  CHECK(client->is_reachable());
}

// A loopback port that takes TCP connections (the kernel's backlog) and never
// answers a byte: a member that hangs. Closed with the object.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        ::listen(fd_, 16) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~SilentListener() {
    if (fd_ >= 0) ::close(fd_);
  }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_CASE("etcd client moves past an endpoint that hangs after one attempt deadline",
          "[etcd][endpoints]") {
  auto etcd = started_etcd();
  SilentListener hung;
  REQUIRE(hung.port() != 0);
  auto client = etcd_client(hung.url() + "," + etcd->client_url());
  // A read is retried on the next endpoint once the hung one's attempt
  // deadline passes (or it never completes a connection).
  auto read = client->get("/t/k");
  INFO(read.status().to_string());
  REQUIRE(read.ok());
  CHECK_FALSE(read->has_value());
  // From then on the live member is the current endpoint: writes go there.
  auto put = client->put("/t/k", "v");
  INFO(put.status().to_string());
  REQUIRE(put.ok());
  auto again = client->get("/t/k");
  REQUIRE(again.ok());
  REQUIRE(again->has_value());
  CHECK((*again)->value == "v");
}

TEST_CASE("etcd test member picks other ports when its first ones were taken meanwhile",
          "[etcd][support]") {
  testing::EtcdProcess etcd;
  const int picked = etcd.client_port();
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(picked));
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                     ::listen(fd, 4) == 0;
  const bool started = bound && etcd.start();
  ::close(fd);
  REQUIRE(bound);
  INFO(etcd.error());
  REQUIRE(started);
  CHECK(etcd.client_port() != picked);
  auto client = etcd_client(etcd.client_url());
  CHECK(client->put("/t/k", "v").ok());
}

TEST_CASE("etcd client reports an unreachable etcd as unavailable within its deadline",
          "[etcd][endpoints]") {
  const std::string dead_a = "http://127.0.0.1:" + std::to_string(testing::pick_free_port());
  const std::string dead_b = "http://127.0.0.1:" + std::to_string(testing::pick_free_port());
  auto client = etcd_client(dead_a + "," + dead_b);
  auto read = client->get("/t/k");
  REQUIRE_FALSE(read.ok());
  CHECK(read.status().code() == ErrorCode::unavailable);
  CHECK_THAT(read.status().message(), Catch::Contains("unreachable"));
  CHECK_THAT(read.status().message(), Catch::Contains(dead_a));
  CHECK_THAT(read.status().message(), Catch::Contains(dead_b));
  CHECK_FALSE(client->is_reachable());
}

TEST_CASE("etcd client reconnects after the member restarts", "[etcd][endpoints]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  REQUIRE(client->put("/t/k", "before").ok());
  etcd->kill();
  auto down = client->get("/t/k");
  REQUIRE_FALSE(down.ok());
  CHECK(down.status().code() == ErrorCode::unavailable);
  INFO(etcd->error());
  REQUIRE(etcd->start());
  auto read = client->get("/t/k");
  INFO(read.status().to_string());
  REQUIRE(read.ok());
  REQUIRE(read->has_value());
  CHECK((*read)->value == "before");
  CHECK(client->is_reachable());
}

TEST_CASE("etcd compaction is reported as out_of_range", "[etcd][kv]") {
  auto etcd = started_etcd();
  auto client = etcd_client(etcd->client_url());
  REQUIRE(client->put("/t/k", "1").ok());
  auto last = client->put("/t/k", "2");
  REQUIRE(last.ok());
  REQUIRE(client->compact(*last).ok());
  const Status again = client->compact(*last - 1);
  CHECK(again.code() == ErrorCode::out_of_range);
  CHECK_THAT(again.message(), Catch::Contains("compacted"));
}

}  // namespace
}  // namespace strata::replication
