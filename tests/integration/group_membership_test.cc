// Consumer-group membership against the real broker: native consumers
// splitting a topic, rebalancing when one leaves or goes silent, the admin
// view of groups, and committed offsets across a broker restart.

#include <map>
#include <set>
#include <string>
#include <thread>

#include <strata/assignor.h>

#include "strata/v1/group_service.grpc.pb.h"
#include "tests/integration/client_helpers.h"
#include "tests/integration/native_helpers.h"
#include "tests/support/wait.h"

namespace strata::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kPartitions = 6;

client::ConsumerOptions member_options(const std::string& group) {
  client::ConsumerOptions options;
  options.group_id = group;
  options.client_id = "tester";
  options.auto_offset_reset = client::OffsetReset::earliest;
  options.enable_auto_commit = false;
  options.max_poll_records = 50;
  options.session_timeout_ms = 6000;
  options.heartbeat_interval_ms = 300;
  options.max_poll_interval_ms = 10000;
  return options;
}

void create_orders(const BrokerProcess& broker, int records) {
  REQUIRE(make_admin(broker)->create_topic("orders", kPartitions).ok());
  auto producer = make_producer(broker);
  produce_numbered(*producer, "orders", records);
}

// Every record read, by partition and offset, with how often it was read.
using ReadLog = std::map<std::pair<std::int32_t, std::int64_t>, int>;

// One poll, recording what came and committing it (so every record read is
// committed before the next poll). Commit errors during a rebalance are
// expected and ignored: those records were still returned only once.
void poll_and_commit(client::Consumer& consumer, ReadLog& log) {
  auto records = consumer.poll(100ms);
  INFO((records.ok() ? std::string("ok") : records.status().to_string()));
  REQUIRE(records.ok());
  for (const auto& r : *records) ++log[{r.partition.value(), r.offset.value()}];
  if (!records->empty()) (void)consumer.commit_sync();
}

std::set<std::int32_t> partitions_of(const client::Consumer& consumer) {
  std::set<std::int32_t> out;
  for (const auto& tp : consumer.assignment()) out.insert(tp.partition.value());
  return out;
}

// Polls (and commits) until the consumer owns `count` partitions; false after 30 s.
bool poll_until_owning(client::Consumer& consumer, ReadLog& log, std::size_t count) {
  return wait_until(
      [&] {
        poll_and_commit(consumer, log);
        return partitions_of(consumer).size() == count;
      },
      30s);
}

// Unary GroupService calls over a raw channel: a member that the test
// controls step by step (and can silence).
struct RawMember {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::GroupService::Stub> stub;
  std::string member_id;
  std::int32_t generation = -1;

  explicit RawMember(const BrokerProcess& broker)
      : channel(connect(broker.native_address())), stub(v1::GroupService::NewStub(channel)) {}

  // Joins (blocking until the rebalance completes) and syncs, taking no
  // partitions when it is the leader's job to assign (it lets the leader be
  // the native consumer).
  v1::JoinGroupResponse join(const std::string& group) {
    v1::JoinGroupRequest request;
    request.set_group_id(group);
    request.set_member_id(member_id);
    request.set_client_id("raw");
    request.set_session_timeout_ms(6000);
    request.set_rebalance_timeout_ms(10000);
    request.set_protocol_type("consumer");
    auto* p = request.add_protocols();
    p->set_name("range");
    p->set_metadata(client::encode_subscription({{"orders"}, {}}));
    v1::JoinGroupResponse response;
    grpc::ClientContext context;
    set_deadline(context, 30s);
    REQUIRE(stub->JoinGroup(&context, request, &response).ok());
    member_id = response.member_id();
    generation = response.generation_id();
    return response;
  }

  v1::SyncGroupResponse sync(const std::string& group) {
    v1::SyncGroupRequest request;
    request.set_group_id(group);
    request.set_generation_id(generation);
    request.set_member_id(member_id);
    v1::SyncGroupResponse response;
    grpc::ClientContext context;
    set_deadline(context, 30s);
    REQUIRE(stub->SyncGroup(&context, request, &response).ok());
    return response;
  }

  v1::ErrorCode heartbeat(const std::string& group) {
    v1::HeartbeatRequest request;
    request.set_group_id(group);
    request.set_generation_id(generation);
    request.set_member_id(member_id);
    v1::HeartbeatResponse response;
    grpc::ClientContext context;
    set_deadline(context, 10s);
    REQUIRE(stub->Heartbeat(&context, request, &response).ok());
    return response.error().code();
  }

  v1::DescribeGroupResponse describe(const std::string& group) {
    v1::DescribeGroupRequest request;
    request.set_group_id(group);
    v1::DescribeGroupResponse response;
    grpc::ClientContext context;
    set_deadline(context, 10s);
    REQUIRE(stub->DescribeGroup(&context, request, &response).ok());
    return response;
  }
};

}  // namespace

TEST_CASE("two members split six partitions, when one leaves the other takes all, "
          "and no committed record is read twice",
          "[integration][group][rebalance]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_orders(broker, 600);
  std::vector<std::vector<TopicPartition>> b_assigned;
  auto a = make_consumer(broker, member_options("splitters"));
  auto b = make_consumer(broker, member_options("splitters"));
  REQUIRE(a->subscribe("orders").ok());
  client::RebalanceListener listener;
  listener.on_partitions_assigned = [&](const std::vector<TopicPartition>& p) {
    b_assigned.push_back(p);
  };
  REQUIRE(b->subscribe("orders", "", listener).ok());

  ReadLog log;
  // Both poll from this one thread: joins are asynchronous, so they
  // complete together.
  REQUIRE(wait_until(
      [&] {
        poll_and_commit(*a, log);
        poll_and_commit(*b, log);
        const auto pa = partitions_of(*a);
        const auto pb = partitions_of(*b);
        std::set<std::int32_t> all(pa.begin(), pa.end());
        all.insert(pb.begin(), pb.end());
        return pa.size() == 3 && pb.size() == 3 && all.size() == kPartitions;
      },
      60s));
  // Read some more with both, then A leaves (its reads are committed).
  for (int i = 0; i < 5; ++i) {
    poll_and_commit(*a, log);
    poll_and_commit(*b, log);
  }
  a->close();
  REQUIRE(wait_until(
      [&] {
        poll_and_commit(*b, log);
        return partitions_of(*b).size() == kPartitions && log.size() == 600;
      },
      60s));
  for (const auto& [record, reads] : log) {
    INFO("partition " << record.first << " offset " << record.second);
    CHECK(reads == 1);
  }
  REQUIRE(!b_assigned.empty());
  CHECK(b_assigned.back().size() == kPartitions);
}

TEST_CASE("a member that stops heartbeating is expired and its partitions reassigned",
          "[integration][group][expiry]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_orders(broker, 60);
  auto consumer = make_consumer(broker, member_options("expiry"));
  REQUIRE(consumer->subscribe("orders").ok());
  ReadLog log;
  REQUIRE(poll_until_owning(*consumer, log, kPartitions));
  // A raw member joins (its JoinGroup waits for the consumer to rejoin),
  // syncs once, then never heartbeats again.
  RawMember raw(broker);
  std::thread joiner([&] {
    raw.join("expiry");
    raw.sync("expiry");
  });
  const bool split = poll_until_owning(*consumer, log, kPartitions / 2);
  joiner.join();
  REQUIRE(split);
  REQUIRE(raw.describe("expiry").members_size() == 2);
  // 6 s of silence later the coordinator drops it; the consumer gets all.
  REQUIRE(poll_until_owning(*consumer, log, kPartitions));
  CHECK(raw.heartbeat("expiry") == v1::UNKNOWN_MEMBER);
  auto described = raw.describe("expiry");
  CHECK(described.state() == v1::GROUP_STATE_STABLE);
  REQUIRE(described.members_size() == 1);
  CHECK(described.members(0).client_id() == "tester");
}

TEST_CASE("groups are listed, described with members and assignments, and deleted when empty",
          "[integration][group][admin]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_orders(broker, 10);
  auto consumer = make_consumer(broker, member_options("described"));
  REQUIRE(consumer->subscribe("orders").ok());
  ReadLog log;
  REQUIRE(poll_until_owning(*consumer, log, kPartitions));
  RawMember raw(broker);
  auto d = raw.describe("described");
  CHECK(d.error().code() == v1::NONE);
  CHECK(d.state() == v1::GROUP_STATE_STABLE);
  CHECK(d.protocol_type() == "consumer");
  CHECK(d.protocol_name() == "range");
  REQUIRE(d.members_size() == 1);
  CHECK(d.leader_id() == d.members(0).member_id());
  CHECK(d.members(0).member_id().rfind("tester-", 0) == 0);
  auto assignment = client::decode_assignment(d.members(0).assignment());
  REQUIRE(assignment.ok());
  CHECK(assignment->partitions.size() == kPartitions);

  auto admin = make_admin(broker);
  auto listed = admin->list_groups();
  REQUIRE(listed.ok());
  CHECK(std::find(listed->begin(), listed->end(), "described") != listed->end());
  CHECK(!admin->delete_group("described").ok());  // it has a member
  consumer->close();
  CHECK(raw.describe("described").state() == v1::GROUP_STATE_EMPTY);
  REQUIRE(admin->delete_group("described").ok());
  CHECK(raw.describe("described").error().code() == v1::UNKNOWN_GROUP);
  CHECK(!admin->delete_group("described").ok());
}

TEST_CASE("committed offsets and the group survive a broker restart",
          "[integration][group][restart]") {
  TempDir data("strata-group-restart");
  BrokerProcess::Options options;
  options.data_dir = data.path();
  ReadLog log;
  {
    BrokerProcess broker(options);
    REQUIRE(broker.start());
    create_orders(broker, 120);
    auto consumer = make_consumer(broker, member_options("durable"));
    REQUIRE(consumer->subscribe("orders").ok());
    REQUIRE(wait_until(
        [&] {
          poll_and_commit(*consumer, log);
          return log.size() >= 60;
        },
        30s));
    consumer->close();
    REQUIRE(broker.stop() == 0);
  }
  BrokerProcess broker(options);
  REQUIRE(broker.start());
  RawMember raw(broker);
  auto d = raw.describe("durable");
  CHECK(d.error().code() == v1::NONE);
  CHECK(d.state() == v1::GROUP_STATE_EMPTY);
  CHECK(d.protocol_type() == "consumer");
  CHECK(d.generation_id() >= 1);
  auto consumer = make_consumer(broker, member_options("durable"));
  REQUIRE(consumer->subscribe("orders").ok());
  REQUIRE(wait_until(
      [&] {
        poll_and_commit(*consumer, log);
        return log.size() == 120;
      },
      30s));
  for (const auto& [record, reads] : log) {
    INFO("partition " << record.first << " offset " << record.second);
    CHECK(reads == 1);
  }
}

}  // namespace strata::testing
