// libstrata consumer groups against the real broker: committed offsets,
// resuming, auto.offset.reset, seek, and the admin view of group offsets.

#include <string>

#include "tests/integration/client_helpers.h"

namespace strata::testing {
namespace {

using namespace std::chrono_literals;

const TopicPartition kP0{"events", PartitionId(0)};

void create_with_records(const BrokerProcess& broker, int count) {
  REQUIRE(make_admin(broker)->create_topic("events", 1).ok());
  auto producer = make_producer(broker);
  produce_numbered(*producer, "events", count);
}

client::ConsumerOptions group_options(const std::string& group) {
  client::ConsumerOptions options;
  options.group_id = group;
  options.auto_offset_reset = client::OffsetReset::earliest;
  options.enable_auto_commit = false;
  options.max_poll_records = 10;
  return options;
}

TEST_CASE("a consumer in a group resumes exactly after the committed offset",
          "[integration][client][group]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_with_records(broker, 100);
  {
    auto consumer = make_consumer(broker, group_options("resumers"));
    REQUIRE(consumer->subscribe("events").ok());
    auto first = consume(*consumer, 30);
    REQUIRE(first.size() >= 30);
    REQUIRE(consumer->commit_sync({{kP0, Offset(30)}}).ok());
    auto committed = consumer->committed(kP0);
    REQUIRE(committed.ok());
    CHECK(*committed == std::optional<Offset>(Offset(30)));
  }
  auto consumer = make_consumer(broker, group_options("resumers"));
  REQUIRE(consumer->subscribe("events").ok());
  CHECK(consumer->position(kP0).value() == Offset(30));
  auto rest = consume(*consumer, 70);
  REQUIRE(rest.size() == 70);
  CHECK(rest.front().offset == Offset(30));
  CHECK(*rest.front().value == "value-30");
  CHECK(rest.back().offset == Offset(99));
}

TEST_CASE("commit_sync without offsets commits the positions of what poll returned",
          "[integration][client][group]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_with_records(broker, 50);
  auto consumer = make_consumer(broker, group_options("positions"));
  REQUIRE(consumer->subscribe("events").ok());
  auto records = consumer->poll(5s);
  REQUIRE(records.ok());
  // One poll may return fewer than max_poll_records; at most 10.
  REQUIRE(!records->empty());
  REQUIRE(records->size() <= 10);
  const Offset next = records->back().offset + 1;
  CHECK(consumer->position(kP0).value() == next);
  REQUIRE(consumer->commit_sync().ok());
  CHECK(consumer->committed(kP0).value() == std::optional<Offset>(next));
}

TEST_CASE("auto-commit stores positions on close and commit_async reports its outcome",
          "[integration][client][group]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_with_records(broker, 20);
  auto options = group_options("auto");
  options.enable_auto_commit = true;
  options.max_poll_records = 500;
  {
    auto consumer = make_consumer(broker, options);
    REQUIRE(consumer->subscribe("events").ok());
    REQUIRE(consume(*consumer, 20).size() == 20);
    std::promise<Status> outcome;
    consumer->commit_async([&outcome](Status s) { outcome.set_value(s); });
    auto future = outcome.get_future();
    REQUIRE(future.wait_for(15s) == std::future_status::ready);
    CHECK(future.get().ok());
    consumer->close();
  }
  auto admin = make_admin(broker);
  auto offsets = admin->group_offsets("auto", "events");
  REQUIRE(offsets.ok());
  REQUIRE(offsets->size() == 1);
  CHECK((*offsets)[0].committed == Offset(20));
  CHECK((*offsets)[0].log_end_offset == Offset(20));
  CHECK((*offsets)[0].lag == 0);
}

TEST_CASE("auto.offset.reset picks earliest or latest when nothing is committed",
          "[integration][client][group]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_with_records(broker, 10);
  auto options = group_options("fresh");
  SECTION("earliest") {
    auto consumer = make_consumer(broker, options);
    REQUIRE(consumer->subscribe("events").ok());
    CHECK(consumer->position(kP0).value() == Offset(0));
  }
  SECTION("latest, then new records only") {
    options.auto_offset_reset = client::OffsetReset::latest;
    auto consumer = make_consumer(broker, options);
    REQUIRE(consumer->subscribe("events").ok());
    CHECK(consumer->position(kP0).value() == Offset(10));
    auto producer = make_producer(broker);
    REQUIRE(producer->send("events", "k", "after").get().ok());
    auto records = consume(*consumer, 1);
    REQUIRE(records.size() == 1);
    CHECK(records[0].offset == Offset(10));
    CHECK(*records[0].value == "after");
  }
}

TEST_CASE("seek moves the next record poll returns, inside a batch too",
          "[integration][client][group]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_with_records(broker, 100);  // a few large batches
  auto consumer = make_consumer(broker, group_options("seekers"));
  REQUIRE(consumer->assign({kP0}).ok());
  REQUIRE(consumer->seek(kP0, Offset(57)).ok());
  auto records = consume(*consumer, 5);
  REQUIRE(records.size() >= 5);
  CHECK(records[0].offset == Offset(57));
  CHECK(*records[0].value == "value-57");
  REQUIRE(consumer->seek_to_beginning().ok());
  records = consume(*consumer, 1);
  REQUIRE(!records.empty());
  CHECK(records[0].offset == Offset(0));
  REQUIRE(consumer->seek_to_end().ok());
  CHECK(consumer->position(kP0).value() == Offset(100));
  CHECK(consumer->seek(TopicPartition{"other", PartitionId(0)}, Offset(0)).code() ==
        ErrorCode::invalid_argument);
}

TEST_CASE("a position beyond the log end follows auto.offset.reset",
          "[integration][client][group]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_with_records(broker, 10);
  auto consumer = make_consumer(broker, group_options("outside"));
  REQUIRE(consumer->assign({kP0}).ok());
  REQUIRE(consumer->seek(kP0, Offset(1000)).ok());
  auto records = consume(*consumer, 10);
  REQUIRE(records.size() == 10);
  CHECK(records[0].offset == Offset(0));
}

TEST_CASE("reset_offsets moves an empty group's offsets, group_offsets shows the lag",
          "[integration][client][group][admin]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  create_with_records(broker, 40);
  auto admin = make_admin(broker);
  {
    auto consumer = make_consumer(broker, group_options("resetters"));
    REQUIRE(consumer->subscribe("events").ok());
    REQUIRE(consumer->commit_sync({{kP0, Offset(25)}}).ok());
  }
  auto offsets = admin->group_offsets("resetters");
  REQUIRE(offsets.ok());
  REQUIRE(offsets->size() == 1);
  CHECK((*offsets)[0].topic_partition == kP0);
  CHECK((*offsets)[0].committed == Offset(25));
  CHECK((*offsets)[0].lag == 15);

  auto reset = admin->reset_offsets("resetters", "events", client::ResetTarget::to_earliest());
  REQUIRE(reset.ok());
  REQUIRE(reset->size() == 1);
  CHECK((*reset)[0].previous_offset == Offset(25));
  CHECK((*reset)[0].new_offset == Offset(0));
  auto consumer = make_consumer(broker, group_options("resetters"));
  REQUIRE(consumer->subscribe("events").ok());
  CHECK(consumer->position(kP0).value() == Offset(0));
}

}  // namespace
}  // namespace strata::testing
