// Every client call against an address where nothing listens fails with
// unavailable (not timed_out), naming the address. No broker needed.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <catch2/catch.hpp>
#include <strata/admin.h>
#include <strata/consumer.h>
#include <strata/producer.h>

namespace strata::client {
namespace {

using namespace std::chrono_literals;

// A loopback address that was just free: bound, then closed.
std::string closed_loopback_address() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  socklen_t len = sizeof(addr);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
}

ConnectionOptions connection_to(const std::string& address) {
  ConnectionOptions options;
  options.bootstrap = address;
  options.request_timeout_ms = 5000;
  return options;
}

void check_names_broker(const Status& status, const std::string& address) {
  INFO(status.to_string());
  CHECK(status.code() == ErrorCode::unavailable);
  CHECK(status.message().find("broker " + address + " unreachable") != std::string::npos);
}

TEST_CASE("admin calls to an unreachable broker fail with unavailable, naming its address",
          "[client][connection]") {
  // A refused connection is unavailable at once; a call that waited out
  // request_timeout_ms instead would end timed_out, so the error code is the
  // check, not the clock.
  const std::string address = closed_loopback_address();
  auto admin = Admin::create(AdminOptions{connection_to(address)}).value();
  check_names_broker(admin->list_topics().status(), address);
  check_names_broker(admin->create_topic("t", 1), address);
}

TEST_CASE("send to an unreachable broker resolves its future with the address",
          "[client][connection]") {
  const std::string address = closed_loopback_address();
  ProducerOptions options;
  options.connection = connection_to(address);
  auto producer = Producer::create(options).value();
  auto future = producer->send("t", "k", "v");
  REQUIRE(future.wait_for(10s) == std::future_status::ready);
  auto result = future.get();
  REQUIRE_FALSE(result.ok());
  check_names_broker(result.status(), address);
  producer->close(0);
}

TEST_CASE("subscribe and poll against an unreachable broker fail, naming its address",
          "[client][connection]") {
  const std::string address = closed_loopback_address();
  ConsumerOptions options;
  options.connection = connection_to(address);
  options.group_id = "g";
  auto consumer = Consumer::create(options).value();
  check_names_broker(consumer->subscribe("t"), address);
  REQUIRE(consumer->assign({TopicPartition{"t", PartitionId(0)}}).ok());
  auto polled = consumer->poll(100ms);
  REQUIRE_FALSE(polled.ok());
  check_names_broker(polled.status(), address);
}

TEST_CASE("impossible options are refused at create", "[client][options]") {
  ProducerOptions producer;
  producer.batch_size = 0;
  CHECK(Producer::create(producer).status().code() == ErrorCode::invalid_argument);
  ConsumerOptions consumer;
  consumer.connection.bootstrap = "";
  CHECK(Consumer::create(consumer).status().code() == ErrorCode::invalid_argument);
}

TEST_CASE("option names parse like Kafka's settings", "[client][options]") {
  CHECK(parse_acks("all").value() == Acks::all);
  CHECK(parse_acks("-1").value() == Acks::all);
  CHECK(parse_acks("0").value() == Acks::none);
  CHECK_FALSE(parse_acks("2").ok());
  CHECK(parse_compression("zstd").value() == CompressionType::zstd);
  CHECK_FALSE(parse_compression("brotli").ok());
  CHECK(parse_offset_reset("earliest").value() == OffsetReset::earliest);
  CHECK(to_string(CompressionType::snappy) == "snappy");
}

}  // namespace
}  // namespace strata::client
