// --group-* settings reach the group coordinator: a JoinGroup through the
// Kafka port with a session timeout below --group-min-session-timeout-ms is
// refused with INVALID_SESSION_TIMEOUT, and accepted under the defaults.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "broker/kafka/protocol/error_code.h"
#include "tests/integration/kafka_client.h"
#include "tests/support/broker_process.h"

namespace strata::testing {
namespace {

using namespace kafka;

// A first JoinGroup (v3: no MEMBER_ID_REQUIRED round trip) of a consumer.
JoinGroupRequest first_join(const std::string& group, std::int32_t session_timeout_ms) {
  JoinGroupRequest request;
  request.group_id = group;
  request.session_timeout_ms = session_timeout_ms;
  request.rebalance_timeout_ms = 30000;
  request.protocol_type = "consumer";
  request.protocols.push_back({"range", Buffer{std::byte{0}, std::byte{1}}});
  return request;
}

TEST_CASE("a JoinGroup below --group-min-session-timeout-ms gets INVALID_SESSION_TIMEOUT",
          "[integration][kafka][groups]") {
  // No initial rebalance delay, so an accepted join is answered at once.
  BrokerProcess broker(BrokerProcess::Options{
      "",
      "",
      {"--group-min-session-timeout-ms", "10000", "--group-initial-rebalance-delay-ms", "0"}});
  REQUIRE(broker.start());
  KafkaClient client;
  REQUIRE(client.connect(broker.kafka_address()));

  auto refused = client.call<JoinGroupResponse>(3, first_join("g-short", 8000));
  REQUIRE(refused);
  CHECK(refused->error_code == to_int(KafkaError::invalid_session_timeout));
  CHECK(refused->member_id.empty());

  auto accepted = client.call<JoinGroupResponse>(3, first_join("g-long", 10000));
  REQUIRE(accepted);
  CHECK(accepted->error_code == 0);
  CHECK(accepted->generation_id == 1);
  CHECK(accepted->leader == accepted->member_id);
  CHECK(broker.stop() == 0);
}

TEST_CASE("a JoinGroup with an 8 s session timeout is accepted under the default minimum",
          "[integration][kafka][groups]") {
  BrokerProcess broker(
      BrokerProcess::Options{"", "", {"--group-initial-rebalance-delay-ms", "0"}});
  REQUIRE(broker.start());
  KafkaClient client;
  REQUIRE(client.connect(broker.kafka_address()));
  auto accepted = client.call<JoinGroupResponse>(3, first_join("g-short", 8000));
  REQUIRE(accepted);
  CHECK(accepted->error_code == 0);
  CHECK_FALSE(accepted->member_id.empty());
  // Above the default maximum (30 minutes) is still refused.
  auto too_long = client.call<JoinGroupResponse>(3, first_join("g-forever", 1800001));
  REQUIRE(too_long);
  CHECK(too_long->error_code == to_int(KafkaError::invalid_session_timeout));
  CHECK(broker.stop() == 0);
}

}  // namespace
}  // namespace strata::testing
