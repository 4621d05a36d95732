// Leader epochs on the Kafka port of a real broker (#14): Metadata v7,
// ListOffsets v4+, OffsetForLeaderEpoch and the current_leader_epoch fence of
// Fetch, before and after the partition's log moved to a newer epoch (as a
// leader change will do; here written into the log while the broker is down).
#include <catch2/catch.hpp>

#include <filesystem>

#include "common/record_batch.h"
#include "storage/partition_log.h"
#include "tests/integration/kafka_client.h"
#include "tests/integration/kafka_helpers.h"
#include "tests/support/broker_process.h"
#include "tests/support/temp_dir.h"

namespace strata::testing {
namespace {

using namespace kafka;

constexpr std::int16_t kNone = 0;
const std::int16_t kFenced = to_int(KafkaError::fenced_leader_epoch);
const std::int16_t kUnknownEpoch = to_int(KafkaError::unknown_leader_epoch);

BrokerProcess::Options on(const std::filesystem::path& data_dir) {
  BrokerProcess::Options o;
  o.data_dir = data_dir;
  return o;
}

std::int32_t metadata_epoch(KafkaClient& client) {
  MetadataRequest request;
  request.topics = std::vector<MetadataRequest::Topic>{{"t"}};
  auto answer = client.call<MetadataResponse>(7, request);
  REQUIRE(answer);
  const auto& partition = answer->topics.at(0).partitions.at(0);
  REQUIRE(partition.error_code == kNone);
  return partition.leader_epoch;
}

ListOffsetsResponse::Topic::Partition list_offset(KafkaClient& client, std::int64_t timestamp,
                                                  std::int32_t current_epoch = -1) {
  ListOffsetsRequest request;
  auto& t = request.topics.emplace_back();
  t.name = "t";
  t.partitions.push_back({0, timestamp, current_epoch});
  auto answer = client.call<ListOffsetsResponse>(4, request);
  REQUIRE(answer);
  return answer->topics.at(0).partitions.at(0);
}

OffsetForLeaderEpochResponse::Topic::Partition epoch_end(KafkaClient& client,
                                                         std::int32_t leader_epoch,
                                                         std::int32_t current_epoch = -1,
                                                         std::int16_t version = 4,
                                                         const std::string& topic = "t") {
  OffsetForLeaderEpochRequest request;
  request.replica_id = -1;
  auto& t = request.topics.emplace_back();
  t.topic = topic;
  t.partitions.push_back({0, current_epoch, leader_epoch});
  auto answer = client.call<OffsetForLeaderEpochResponse>(version, request);
  REQUIRE(answer);
  return answer->topics.at(0).partitions.at(0);
}

std::int16_t fetch_error(KafkaClient& client, std::int32_t current_epoch) {
  FetchRequest request = fetch_one("t", 0, 0);
  request.topics[0].partitions[0].current_leader_epoch = current_epoch;
  auto answer = client.call<FetchResponse>(11, request);
  REQUIRE(answer);
  return answer->responses.at(0).partitions.at(0).error_code;
}

// The partition directory of t-0 under the broker's data dir.
std::filesystem::path partition_dir(const std::filesystem::path& data_dir) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir)) {
    if (entry.is_directory() && entry.path().filename() == "t-0") return entry.path();
  }
  FAIL("no t-0 directory under " << data_dir);
  return {};
}

}  // namespace

TEST_CASE("the Kafka port answers leader epochs and fences on the current one (#14)",
          "[integration][kafka][leader_epoch]") {
  TempDir data;
  {
    BrokerProcess broker(on(data.path()));
    REQUIRE(broker.start());
    KafkaClient client;
    REQUIRE(client.connect(broker.kafka_address()));
    auto created = client.call<CreateTopicsResponse>(4, create_one("t", 1));
    REQUIRE(created);
    REQUIRE(created->topics.at(0).error_code == kNone);

    CHECK(metadata_epoch(client) == 0);
    // An empty log knows no epoch yet (Kafka answers the same).
    CHECK(list_offset(client, -1).leader_epoch == -1);
    CHECK(epoch_end(client, 0, 0).end_offset == -1);

    REQUIRE(client.call<ProduceResponse>(7, produce_one("t", 0, kafka_batch("a", 3))));
    REQUIRE(client.call<ProduceResponse>(7, produce_one("t", 0, kafka_batch("b", 2))));

    const auto latest = list_offset(client, -1, 0);
    CHECK(latest.error_code == kNone);
    CHECK(latest.offset == 5);
    CHECK(latest.leader_epoch == 0);
    CHECK(list_offset(client, -2).leader_epoch == 0);
    CHECK(list_offset(client, -1, 1).error_code == kUnknownEpoch);

    const auto current = epoch_end(client, 0, 0);
    CHECK(current.error_code == kNone);
    CHECK(current.leader_epoch == 0);
    CHECK(current.end_offset == 5);
    CHECK(epoch_end(client, 0, -1, 0).end_offset == 5);  // v0: no current epoch to check
    const auto future = epoch_end(client, 4, 0);
    CHECK(future.error_code == kNone);
    CHECK(future.leader_epoch == -1);
    CHECK(future.end_offset == -1);
    CHECK(epoch_end(client, 0, 1).error_code == kUnknownEpoch);
    CHECK(epoch_end(client, 0, 0, 4, "nope").error_code ==
          to_int(KafkaError::unknown_topic_or_partition));

    CHECK(fetch_error(client, -1) == kNone);
    CHECK(fetch_error(client, 0) == kNone);
    CHECK(fetch_error(client, 1) == kUnknownEpoch);
    REQUIRE(broker.stop() == 0);
  }

  // A newer leader's batch lands in the log, as a follower would append it.
  {
    auto log = storage::PartitionLog::open(partition_dir(data.path()), storage::LogOptions{});
    REQUIRE(log.ok());
    Buffer batch = kafka_batch("c", 4);
    set_partition_leader_epoch(batch, LeaderEpoch(3));
    REQUIRE((*log)->append(batch).ok());
    REQUIRE((*log)->close().ok());
  }

  BrokerProcess broker(on(data.path()));
  REQUIRE(broker.start());
  KafkaClient client;
  REQUIRE(client.connect(broker.kafka_address()));
  CHECK(metadata_epoch(client) == 3);
  CHECK(fetch_error(client, 0) == kFenced);
  CHECK(fetch_error(client, 3) == kNone);
  CHECK(list_offset(client, -1, 2).error_code == kFenced);
  CHECK(epoch_end(client, 0, 0).error_code == kFenced);

  // Epoch 0 ends where epoch 3 starts; epochs in between belong to 0.
  const auto old_epoch = epoch_end(client, 2, 3);
  CHECK(old_epoch.error_code == kNone);
  CHECK(old_epoch.leader_epoch == 0);
  CHECK(old_epoch.end_offset == 5);

  // New appends carry the current epoch.
  auto produced = client.call<ProduceResponse>(7, produce_one("t", 0, kafka_batch("d", 1)));
  REQUIRE(produced);
  CHECK(produced->responses.at(0).partition_responses.at(0).base_offset == 9);
  auto fetched = client.call<FetchResponse>(11, fetch_one("t", 0, 9));
  REQUIRE(fetched);
  const Buffer bytes(fetched->responses.at(0).partitions.at(0).records.bytes->begin(),
                     fetched->responses.at(0).partitions.at(0).records.bytes->end());
  auto header = parse_batch_header(bytes);
  REQUIRE(header.ok());
  CHECK(header->partition_leader_epoch == 3);
  const auto now = epoch_end(client, 3, 3);
  CHECK(now.leader_epoch == 3);
  CHECK(now.end_offset == 10);
  const auto by_time = list_offset(client, 1700000000000, 3);  // the first record: offset 0
  CHECK(by_time.offset == 0);
  CHECK(by_time.leader_epoch == 0);
}

}  // namespace strata::testing
