// Kafka requests in /metrics: the per-API request counters and latency
// histograms carry protocol="kafka" beside the native ones.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <optional>
#include <sstream>
#include <string>

#include "tests/integration/kafka_client.h"
#include "tests/integration/kafka_helpers.h"
#include "tests/support/broker_process.h"

namespace strata::testing {
namespace {

using namespace kafka;

// The value of the sample whose name and labels are exactly `series`
// (e.g. `strata_requests_total{api="Fetch",protocol="kafka"}`), if any.
std::optional<double> sample(const std::string& metrics, const std::string& series) {
  std::istringstream lines(metrics);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

std::string kafka_series(const std::string& family, const std::string& api) {
  return family + "{api=\"" + api + "\",protocol=\"kafka\"}";
}

}  // namespace

TEST_CASE("/metrics counts kafka Produce and Fetch requests and their latency per API",
          "[integration][kafka][http]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  KafkaClient client;
  REQUIRE(client.connect(broker.kafka_address()));
  auto created = client.call<CreateTopicsResponse>(4, create_one("t", 1));
  REQUIRE(created);
  REQUIRE(created->topics.at(0).error_code == 0);
  const Buffer batch = kafka_batch("m", 3);
  auto produced = client.call<ProduceResponse>(7, produce_one("t", 0, batch));
  REQUIRE(produced);
  REQUIRE(produced->responses.at(0).partition_responses.at(0).error_code == 0);
  auto fetched = client.call<FetchResponse>(11, fetch_one("t", 0, 0));
  REQUIRE(fetched);
  REQUIRE(fetched->responses.at(0).partitions.at(0).error_code == 0);

  // A request is counted before its answer leaves: no wait needed.
  httplib::Client http("http://" + broker.http_address());
  auto metrics = http.Get("/metrics");
  REQUIRE(metrics);
  REQUIRE(metrics->status == 200);
  for (const std::string api : {"Produce", "Fetch", "CreateTopics"}) {
    INFO(api);
    const auto requests = sample(metrics->body, kafka_series("strata_requests_total", api));
    REQUIRE(requests);
    CHECK(*requests == 1);
    const auto latencies =
        sample(metrics->body, kafka_series("strata_request_latency_seconds_count", api));
    REQUIRE(latencies);
    CHECK(*latencies == 1);
    const auto seconds =
        sample(metrics->body, kafka_series("strata_request_latency_seconds_sum", api));
    REQUIRE(seconds);
    CHECK(*seconds > 0);
  }
  // Kafka's requests are not counted as native ones, and the reverse.
  CHECK(sample(metrics->body, "strata_requests_total{api=\"Produce\",protocol=\"native\"}") == 0.0);
  CHECK(sample(metrics->body, kafka_series("strata_requests_total", "Metadata")) == 0.0);
  CHECK(sample(metrics->body, "strata_bytes_in_total") == static_cast<double>(batch.size()));
  CHECK(broker.stop() == 0);
}

}  // namespace strata::testing
