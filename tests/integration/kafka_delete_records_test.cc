// DeleteRecords and the topic configs Kafka Streams sets (issue 15), against
// the real broker through the codec's own client.
#include <catch2/catch.hpp>

#include "tests/integration/kafka_client.h"
#include "tests/integration/kafka_helpers.h"
#include "tests/support/broker_process.h"

namespace strata::testing {
namespace {

using namespace kafka;

DeleteRecordsRequest delete_before(const std::string& topic,
                                   std::vector<std::pair<std::int32_t, std::int64_t>> parts) {
  DeleteRecordsRequest request;
  auto& t = request.topics.emplace_back();
  t.name = topic;
  for (auto [partition, offset] : parts) t.partitions.push_back({partition, offset});
  request.timeout_ms = 10000;
  return request;
}

std::int64_t earliest(KafkaClient& client, const std::string& topic) {
  ListOffsetsRequest request;
  auto& t = request.topics.emplace_back();
  t.name = topic;
  t.partitions.push_back({0, -2});
  auto answer = client.call<ListOffsetsResponse>(2, request);
  REQUIRE(answer);
  REQUIRE(answer->topics.at(0).partitions.at(0).error_code == 0);
  return answer->topics.at(0).partitions.at(0).offset;
}

// Creates "t" with 2 partitions and 3 batches of 3 records in partition 0.
void create_and_fill(KafkaClient& client) {
  auto created = client.call<CreateTopicsResponse>(4, create_one("t", 2));
  REQUIRE(created);
  REQUIRE(created->topics.at(0).error_code == 0);
  for (const char* prefix : {"a", "b", "c"}) {
    auto produced = client.call<ProduceResponse>(7, produce_one("t", 0, kafka_batch(prefix, 3)));
    REQUIRE(produced);
    REQUIRE(produced->responses.at(0).partition_responses.at(0).error_code == 0);
  }
}

}  // namespace

TEST_CASE("DeleteRecords moves the log start, persists it, and refuses offsets past the high "
          "watermark as Kafka does (#15)",
          "[integration][kafka]") {
  TempDir data;
  BrokerProcess::Options options;
  options.data_dir = data.path();
  {
    BrokerProcess broker(options);
    REQUIRE(broker.start());
    KafkaClient client;
    REQUIRE(client.connect(broker.kafka_address()));
    create_and_fill(client);

    for (std::int16_t version : {0, 1, 2}) {
      auto answer = client.call<DeleteRecordsResponse>(
          version, delete_before("t", {{0, 4 + version}, {1, 0}, {7, 1}}));
      REQUIRE(answer);
      const auto& parts = answer->topics.at(0).partitions;
      REQUIRE(parts.size() == 3);
      CHECK(parts[0].partition_index == 0);
      CHECK(parts[0].error_code == 0);
      CHECK(parts[0].low_watermark == 4 + version);
      CHECK(parts[1].error_code == 0);
      CHECK(parts[1].low_watermark == 0);
      CHECK(parts[2].partition_index == 7);
      CHECK(parts[2].error_code == to_int(KafkaError::unknown_topic_or_partition));
      CHECK(parts[2].low_watermark == -1);
    }
    CHECK(earliest(client, "t") == 6);

    // A lower offset leaves the start where it is; one past the high
    // watermark (9) is OFFSET_OUT_OF_RANGE; an unknown topic is named.
    auto lower = client.call<DeleteRecordsResponse>(2, delete_before("t", {{0, 2}}));
    REQUIRE(lower);
    CHECK(lower->topics.at(0).partitions.at(0).low_watermark == 6);
    auto past = client.call<DeleteRecordsResponse>(2, delete_before("t", {{0, 10}}));
    REQUIRE(past);
    CHECK(past->topics.at(0).partitions.at(0).error_code ==
          to_int(KafkaError::offset_out_of_range));
    auto negative = client.call<DeleteRecordsResponse>(2, delete_before("t", {{0, -2}}));
    REQUIRE(negative);
    CHECK(negative->topics.at(0).partitions.at(0).error_code ==
          to_int(KafkaError::offset_out_of_range));
    auto unknown = client.call<DeleteRecordsResponse>(2, delete_before("nope", {{0, 1}}));
    REQUIRE(unknown);
    CHECK(unknown->topics.at(0).name == "nope");
    CHECK(unknown->topics.at(0).partitions.at(0).error_code ==
          to_int(KafkaError::unknown_topic_or_partition));

    // Below the start a Fetch is out of range; at it, the batch holding it.
    auto below = client.call<FetchResponse>(11, fetch_one("t", 0, 5));
    REQUIRE(below);
    CHECK(below->responses.at(0).partitions.at(0).error_code ==
          to_int(KafkaError::offset_out_of_range));
    auto at = client.call<FetchResponse>(11, fetch_one("t", 0, 6));
    REQUIRE(at);
    CHECK(at->responses.at(0).partitions.at(0).error_code == 0);
    CHECK(at->responses.at(0).partitions.at(0).log_start_offset == 6);

    // -1: up to the high watermark.
    auto all = client.call<DeleteRecordsResponse>(2, delete_before("t", {{0, -1}}));
    REQUIRE(all);
    CHECK(all->topics.at(0).partitions.at(0).error_code == 0);
    CHECK(all->topics.at(0).partitions.at(0).low_watermark == 9);
    broker.stop();
  }
  BrokerProcess again(options);
  REQUIRE(again.start());
  KafkaClient client;
  REQUIRE(client.connect(again.kafka_address()));
  CHECK(earliest(client, "t") == 9);
}

TEST_CASE("CreateTopics takes cleanup.policy and message.timestamp.type as Kafka Streams sets "
          "them, and DescribeConfigs shows them (#15)",
          "[integration][kafka]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  KafkaClient client;
  REQUIRE(client.connect(broker.kafka_address()));
  auto with = [](std::string name, std::vector<std::pair<std::string, std::string>> configs) {
    CreateTopicsRequest request = create_one(name, 1);
    for (auto& [k, v] : configs) request.topics.at(0).configs.push_back({k, v});
    return request;
  };
  auto changelog = client.call<CreateTopicsResponse>(
      4, with("app-store-changelog",
              {{"cleanup.policy", "compact"}, {"message.timestamp.type", "CreateTime"}}));
  REQUIRE(changelog);
  CHECK(changelog->topics.at(0).error_code == 0);
  auto both = client.call<CreateTopicsResponse>(4, with("both", {{"cleanup.policy", "compact,delete"}}));
  REQUIRE(both);
  CHECK(both->topics.at(0).error_code == 0);
  for (const char* bad : {"compaction", "delete,delete", ""}) {
    auto refused = client.call<CreateTopicsResponse>(4, with("bad", {{"cleanup.policy", bad}}));
    REQUIRE(refused);
    INFO(bad);
    CHECK(refused->topics.at(0).error_code == to_int(KafkaError::invalid_config));
  }
  auto log_append = client.call<CreateTopicsResponse>(
      4, with("lat", {{"message.timestamp.type", "LogAppendTime"}}));
  REQUIRE(log_append);
  CHECK(log_append->topics.at(0).error_code == to_int(KafkaError::invalid_config));

  DescribeConfigsRequest describe;
  describe.resources.push_back({2, "app-store-changelog", std::nullopt});
  describe.resources.push_back({2, "both", std::nullopt});
  auto configs = client.call<DescribeConfigsResponse>(2, describe);
  REQUIRE(configs);
  auto value_of = [&](std::size_t resource, const std::string& name) -> std::string {
    for (const auto& c : configs->results.at(resource).configs) {
      if (c.name == name) return c.value.value_or("<null>");
    }
    return "<missing>";
  };
  CHECK(value_of(0, "cleanup.policy") == "compact");
  CHECK(value_of(0, "message.timestamp.type") == "CreateTime");
  CHECK(value_of(1, "cleanup.policy") == "compact,delete");

  // Kafka refuses DeleteRecords on a compact-only topic, not on compact,delete.
  auto compact = client.call<DeleteRecordsResponse>(2, delete_before("app-store-changelog",
                                                                     {{0, 0}}));
  REQUIRE(compact);
  CHECK(compact->topics.at(0).partitions.at(0).error_code ==
        to_int(KafkaError::policy_violation));
  auto mixed = client.call<DeleteRecordsResponse>(2, delete_before("both", {{0, 0}}));
  REQUIRE(mixed);
  CHECK(mixed->topics.at(0).partitions.at(0).error_code == 0);
}

}  // namespace strata::testing
