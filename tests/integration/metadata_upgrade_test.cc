// A data directory written before the metadata store existed (raw KvStore
// keys "cluster-id", "topics/<name>", "producer-id-next") still opens: the
// broker migrates it and a user sees the same topics, configs, records,
// cluster id and producer ids (#14).

#include <catch2/catch.hpp>

#include "common/record_batch.h"
#include "storage/kv_store.h"
#include "tests/integration/native_helpers.h"
#include "tests/support/broker_process.h"

namespace strata::testing {
namespace {

v1::BrokerInfoResponse broker_info(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  set_deadline(context);
  v1::BrokerInfoResponse response;
  REQUIRE(stub->BrokerInfo(&context, v1::BrokerInfoRequest{}, &response).ok());
  return response;
}

v1::DescribeTopicResponse describe(const std::shared_ptr<grpc::Channel>& channel,
                                   const std::string& name) {
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  set_deadline(context);
  v1::DescribeTopicRequest request;
  request.set_name(name);
  v1::DescribeTopicResponse response;
  REQUIRE(stub->DescribeTopic(&context, request, &response).ok());
  return response;
}

std::int64_t new_producer_id(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::ProduceService::NewStub(channel);
  grpc::ClientContext context;
  set_deadline(context);
  v1::InitProducerIdResponse response;
  REQUIRE(stub->InitProducerId(&context, v1::InitProducerIdRequest{}, &response).ok());
  REQUIRE(response.error().code() == v1::NONE);
  return response.producer_id();
}

std::string config_value(const v1::DescribeTopicResponse& topic, const std::string& name) {
  for (const auto& c : topic.configs()) {
    if (c.name() == name) return c.value() + (c.is_default() ? " (default)" : "");
  }
  return "";
}

// Replaces the metadata in `data_dir`'s RocksDB with what the broker wrote
// before the metadata store: its three kinds of raw keys.
void write_legacy_metadata(const std::filesystem::path& data_dir, const std::string& cluster_id) {
  auto kv = storage::KvStore::open((data_dir / "kv").string());
  REQUIRE(kv.ok());
  auto current = (*kv)->scan_prefix("meta/");
  REQUIRE(current.ok());
  REQUIRE_FALSE(current->empty());
  storage::KvWriteBatch batch;
  for (const auto& pair : *current) batch.remove(pair.key);
  batch.put("cluster-id", cluster_id);
  batch.put("producer-id-next", "7000");
  batch.put("topics/legacy", "partitions=2\ninternal=0\nconfig.retention.ms=600000\n");
  batch.put("topics/__consumer_offsets",
            "partitions=1\ninternal=1\nconfig.durability=fsync\nconfig.retention.ms=-1\n");
  REQUIRE((*kv)->write(batch).ok());
}

}  // namespace

TEST_CASE("a data directory of the layout before the metadata store opens unchanged (#14)",
          "[integration][metadata]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "legacy", 2, {{"retention.ms", "600000"}}).error().code() ==
          v1::NONE);
  Buffer batch = make_batch("old", 3);
  auto answers = produce(*channel, {produce_request(1, "legacy", 1, batch)});
  REQUIRE(answers.size() == 1);
  REQUIRE(answers[0].header().error().code() == v1::NONE);
  const std::string cluster_id = broker_info(channel).cluster_id();
  REQUIRE(cluster_id.size() == 32);
  REQUIRE(broker.stop() == 0);

  write_legacy_metadata(broker.data_dir(), cluster_id);

  BrokerProcess::Options options;
  options.data_dir = broker.data_dir();
  BrokerProcess again(options);
  REQUIRE(again.start());
  auto channel2 = connect(again.native_address());
  CHECK(broker_info(channel2).cluster_id() == cluster_id);
  const v1::DescribeTopicResponse topic = describe(channel2, "legacy");
  REQUIRE(topic.error().code() == v1::NONE);
  CHECK(topic.partitions_size() == 2);
  CHECK(config_value(topic, "retention.ms") == "600000");
  set_base_offset(batch, Offset(0));
  set_partition_leader_epoch(batch, LeaderEpoch(0));  // the replica stamps its epoch
  auto fetched = fetch_until(*channel2, fetch_request("legacy", 1, 0), [&](const auto& so_far) {
    return fetched_bytes(so_far, 1).size() >= batch.size();
  });
  CHECK(fetched_bytes(fetched, 1) == as_string(batch));
  // Producer ids go on after the stored counter.
  CHECK(new_producer_id(channel2) == 7000);
  CHECK(describe(channel2, "__consumer_offsets").error().code() == v1::NONE);

  SECTION("and it stays migrated across another restart") {
    REQUIRE(again.stop() == 0);
    BrokerProcess third(options);
    REQUIRE(third.start());
    auto channel3 = connect(third.native_address());
    CHECK(broker_info(channel3).cluster_id() == cluster_id);
    CHECK(describe(channel3, "legacy").partitions_size() == 2);
    CHECK(new_producer_id(channel3) == 8000);
  }
}

}  // namespace strata::testing
