// --kafka-network-threads: connections spread over several reactors are
// all served, each with its answers in request order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/kafka_client.h"
#include "tests/integration/kafka_helpers.h"
#include "tests/support/broker_process.h"

namespace strata::testing {

TEST_CASE("with --kafka-network-threads 3 every kafka connection is served in request order",
          "[integration][kafka]") {
  using namespace kafka;
  BrokerProcess broker(BrokerProcess::Options{"", "", {"--kafka-network-threads", "3"}});
  REQUIRE(broker.start());
  {
    KafkaClient admin;
    REQUIRE(admin.connect(broker.kafka_address()));
    auto created = admin.call<CreateTopicsResponse>(4, create_one("t", 1));
    REQUIRE(created);
    REQUIRE(created->topics.at(0).error_code == 0);
  }
  // Six connections (two per reactor), each pipelining three produces.
  constexpr int kConnections = 6;
  constexpr int kRequests = 3;
  std::array<std::unique_ptr<KafkaClient>, kConnections> clients;
  for (auto& client : clients) {
    client = std::make_unique<KafkaClient>();
    REQUIRE(client->connect(broker.kafka_address()));
  }
  const Buffer batch = kafka_batch("r", 2);
  for (int r = 0; r < kRequests; ++r) {
    for (int c = 0; c < kConnections; ++c) {
      REQUIRE(clients[c]->send(7, produce_one("t", 0, batch), 100 * c + r));
    }
  }
  std::vector<std::int64_t> offsets;
  for (int c = 0; c < kConnections; ++c) {
    for (int r = 0; r < kRequests; ++r) {
      auto answer = clients[c]->read_response<ProduceResponse>(7);
      REQUIRE(answer);
      CHECK(answer->first == 100 * c + r);
      const auto& p = answer->second.responses.at(0).partition_responses.at(0);
      CHECK(p.error_code == 0);
      offsets.push_back(p.base_offset);
    }
  }
  std::sort(offsets.begin(), offsets.end());
  for (std::size_t i = 0; i < offsets.size(); ++i) CHECK(offsets[i] == 2 * static_cast<std::int64_t>(i));
  CHECK(broker.stop() == 0);
}

}  // namespace strata::testing
