#include <catch2/catch.hpp>

#include "strata/v1/admin_service.grpc.pb.h"
#include "strata/v1/metadata_service.grpc.pb.h"
#include "tests/integration/native_helpers.h"
#include "tests/support/broker_process.h"

namespace strata::testing {
namespace {

std::unique_ptr<v1::AdminService::Stub> admin(const std::shared_ptr<grpc::Channel>& channel) {
  return v1::AdminService::NewStub(channel);
}

v1::DescribeTopicResponse describe(v1::AdminService::Stub& stub, const std::string& name) {
  grpc::ClientContext context;
  set_deadline(context);
  v1::DescribeTopicRequest request;
  request.set_name(name);
  v1::DescribeTopicResponse response;
  REQUIRE(stub.DescribeTopic(&context, request, &response).ok());
  return response;
}

v1::ListTopicsResponse list(v1::AdminService::Stub& stub, bool internal = false) {
  grpc::ClientContext context;
  set_deadline(context);
  v1::ListTopicsRequest request;
  request.set_include_internal(internal);
  v1::ListTopicsResponse response;
  REQUIRE(stub.ListTopics(&context, request, &response).ok());
  return response;
}

}  // namespace

TEST_CASE("topics can be created, listed, described, grown and deleted", "[integration][admin]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  auto stub = admin(channel);

  REQUIRE(create_topic(*channel, "orders", 3, {{"retention.ms", "60000"}}).error().code() == v1::NONE);
  CHECK(create_topic(*channel, "orders", 3).error().code() == v1::TOPIC_ALREADY_EXISTS);

  auto listed = list(*stub);
  REQUIRE(listed.topics_size() == 1);
  CHECK(listed.topics(0).name() == "orders");
  CHECK(listed.topics(0).partitions() == 3);
  CHECK(list(*stub, true).topics_size() == 2);  // with __consumer_offsets

  auto described = describe(*stub, "orders");
  REQUIRE(described.error().code() == v1::NONE);
  REQUIRE(described.partitions_size() == 3);
  CHECK(described.partitions(2).log_end_offset() == 0);
  CHECK(described.partitions(2).high_watermark() == 0);
  bool saw_retention = false;
  for (const auto& c : described.configs()) {
    if (c.name() == "retention.ms") {
      saw_retention = true;
      CHECK(c.value() == "60000");
      CHECK_FALSE(c.is_default());
    }
  }
  CHECK(saw_retention);

  {
    grpc::ClientContext context;
    set_deadline(context);
    v1::AddPartitionsRequest request;
    request.set_name("orders");
    request.set_total_partitions(5);
    v1::AddPartitionsResponse response;
    REQUIRE(stub->AddPartitions(&context, request, &response).ok());
    CHECK(response.error().code() == v1::NONE);
    CHECK(describe(*stub, "orders").partitions_size() == 5);
  }
  {
    grpc::ClientContext context;
    set_deadline(context);
    v1::AddPartitionsRequest request;
    request.set_name("orders");
    request.set_total_partitions(2);
    v1::AddPartitionsResponse response;
    REQUIRE(stub->AddPartitions(&context, request, &response).ok());
    CHECK(response.error().code() == v1::INVALID_PARTITIONS);
  }
  {
    grpc::ClientContext context;
    set_deadline(context);
    v1::DeleteTopicRequest request;
    request.set_name("orders");
    v1::DeleteTopicResponse response;
    REQUIRE(stub->DeleteTopic(&context, request, &response).ok());
    CHECK(response.error().code() == v1::NONE);
  }
  CHECK(describe(*stub, "orders").error().code() == v1::UNKNOWN_TOPIC);
  CHECK_FALSE(std::filesystem::exists(broker.data_dir() / "orders-0"));
  CHECK(list(*stub).topics_size() == 0);
}

TEST_CASE("bad topic names, partition counts and configs are refused with their codes",
          "[integration][admin]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  CHECK(create_topic(*channel, "", 1).error().code() == v1::INVALID_TOPIC_NAME);
  CHECK(create_topic(*channel, ".", 1).error().code() == v1::INVALID_TOPIC_NAME);
  CHECK(create_topic(*channel, "..", 1).error().code() == v1::INVALID_TOPIC_NAME);
  CHECK(create_topic(*channel, std::string(250, 'a'), 1).error().code() == v1::INVALID_TOPIC_NAME);
  CHECK(create_topic(*channel, "a/b", 1).error().code() == v1::INVALID_TOPIC_NAME);
  CHECK(create_topic(*channel, "__mine", 1).error().code() == v1::INVALID_TOPIC_NAME);
  CHECK(create_topic(*channel, std::string(249, 'a'), 1).error().code() == v1::NONE);
  CHECK(create_topic(*channel, "t", -1).error().code() == v1::INVALID_PARTITIONS);
  CHECK(create_topic(*channel, "t", 1000000).error().code() == v1::INVALID_PARTITIONS);
  auto bad_config = create_topic(*channel, "t", 1, {{"cleanup.policy", "compaction"}});
  CHECK(bad_config.error().code() == v1::INVALID_CONFIG);
  CHECK(bad_config.error().message().find("cleanup.policy") != std::string::npos);
  auto unknown_config = create_topic(*channel, "t", 1, {{"no.such.config", "1"}});
  CHECK(unknown_config.error().code() == v1::INVALID_CONFIG);
  CHECK(unknown_config.error().message().find("no.such.config") != std::string::npos);
  CHECK(create_topic(*channel, "t", 1, {{"durability", "maybe"}}).error().code() ==
        v1::INVALID_CONFIG);

  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  set_deadline(context);
  v1::DeleteTopicRequest request;
  request.set_name("__consumer_offsets");
  v1::DeleteTopicResponse response;
  REQUIRE(stub->DeleteTopic(&context, request, &response).ok());
  CHECK(response.error().code() == v1::INVALID_REQUEST);
}

TEST_CASE("metadata names this broker as leader of every partition", "[integration][admin]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "m", 2).error().code() == v1::NONE);
  auto stub = v1::MetadataService::NewStub(channel);
  grpc::ClientContext context;
  set_deadline(context);
  v1::MetadataRequest request;
  request.add_topics("m");
  request.add_topics("missing");
  v1::MetadataResponse response;
  REQUIRE(stub->GetMetadata(&context, request, &response).ok());
  REQUIRE(response.brokers_size() == 1);
  CHECK(response.brokers(0).host() + ":" + std::to_string(response.brokers(0).port()) ==
        broker.native_address());
  REQUIRE(response.topics_size() == 2);
  CHECK(response.topics(0).partitions_size() == 2);
  CHECK(response.topics(0).partitions(1).leader_id() == 0);
  CHECK(response.topics(1).error().code() == v1::UNKNOWN_TOPIC);
}

}  // namespace strata::testing
