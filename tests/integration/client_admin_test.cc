// libstrata Admin against the real broker: every call and its errors.

#include "tests/integration/client_helpers.h"
#include "tests/support/wait.h"

namespace strata::testing {
namespace {

TEST_CASE("admin creates, lists, describes, grows and deletes topics", "[integration][client][admin]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto admin = make_admin(broker);
  REQUIRE(admin->create_topic("orders", 3, {{"retention.ms", "3600000"}}).ok());
  CHECK(admin->create_topic("orders", 3).code() == ErrorCode::already_exists);
  CHECK(admin->create_topic("bad name!", 1).code() == ErrorCode::invalid_argument);
  CHECK(admin->create_topic("zero", -1).code() == ErrorCode::invalid_argument);

  auto topics = admin->list_topics();
  REQUIRE(topics.ok());
  REQUIRE(topics->size() == 1);
  CHECK((*topics)[0].name == "orders");
  CHECK((*topics)[0].partitions == 3);

  auto description = admin->describe_topic("orders");
  REQUIRE(description.ok());
  REQUIRE(description->partitions.size() == 3);
  CHECK(description->partitions[2].partition == PartitionId(2));
  CHECK(description->partitions[0].log_end_offset == Offset(0));
  bool has_retention = false;
  for (const auto& config : description->configs) {
    if (config.name == "retention.ms") {
      has_retention = true;
      CHECK(config.value == "3600000");
      CHECK_FALSE(config.is_default);
    }
  }
  CHECK(has_retention);

  REQUIRE(admin->add_partitions("orders", 5).ok());
  CHECK(admin->describe_topic("orders")->partitions.size() == 5);
  CHECK(admin->add_partitions("orders", 2).code() == ErrorCode::invalid_argument);

  auto producer = make_producer(broker);
  produce_numbered(*producer, "orders", 50);
  auto latest = admin->list_offsets("orders", {}, client::OffsetSpec::latest);
  REQUIRE(latest.ok());
  std::int64_t total = 0;
  for (const auto& entry : *latest) {
    REQUIRE(entry.error.ok());
    total += entry.offset.value();
  }
  CHECK(total == 50);

  REQUIRE(admin->delete_topic("orders").ok());
  CHECK(admin->describe_topic("orders").status().code() == ErrorCode::not_found);
  CHECK(admin->delete_topic("orders").code() == ErrorCode::not_found);
}

TEST_CASE("broker_info describes the answering broker", "[integration][client][admin]") {
  const auto launched = std::chrono::steady_clock::now();
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto admin = make_admin(broker);
  auto info = admin->broker_info();
  const auto since_launch = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - launched);
  REQUIRE(info.ok());
  CHECK(info->node_id == BrokerId(0));
  CHECK_FALSE(info->version.empty());
  // The broker started after `launched` and answered before `since_launch`
  // was taken, so its uptime cannot be longer; and it is a running clock.
  CHECK(info->uptime_ms >= 0);
  CHECK(info->uptime_ms <= since_launch.count());
  const std::int64_t first_uptime_ms = info->uptime_ms;
  std::int64_t last_uptime_ms = first_uptime_ms;
  const bool grew = wait_until([&] {
    auto later = admin->broker_info();
    if (later.ok()) last_uptime_ms = later->uptime_ms;
    return last_uptime_ms > first_uptime_ms;
  });
  INFO("uptime_ms " << first_uptime_ms << " then " << last_uptime_ms);
  CHECK(grew);
}

TEST_CASE("a stopped broker gives a clear error naming it, not a hang",
          "[integration][client][connection]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto admin = make_admin(broker);
  REQUIRE(admin->create_topic("t", 1).ok());
  const std::string address = broker.native_address();
  broker.kill();
  auto topics = admin->list_topics();
  REQUIRE_FALSE(topics.ok());
  CHECK(topics.status().code() == ErrorCode::unavailable);
  CHECK(topics.status().message().find(address) != std::string::npos);
}

}  // namespace
}  // namespace strata::testing
