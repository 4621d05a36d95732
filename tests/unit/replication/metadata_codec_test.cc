#include "replication/metadata/metadata_codec.h"

#include <catch2/catch.hpp>

namespace strata::replication {
namespace {

TEST_CASE("topic records and partition states read back as written", "[replication][codec]") {
  TopicRecord topic{"orders", new_topic_id(), 3, {{"retention.ms", "-1"}, {"x", "a\"b\nc"}}, true};
  auto topic_back = decode_topic_record(encode_topic_record(topic), "t");
  REQUIRE(topic_back.ok());
  CHECK(*topic_back == topic);
  CHECK(topic.topic_id.size() == 32);

  PartitionState state{{BrokerId(1), BrokerId(2), BrokerId(3)}, BrokerId(2), LeaderEpoch(7),
                       {BrokerId(2), BrokerId(3)}};
  auto state_back = decode_partition_state(encode_partition_state(state), "p");
  REQUIRE(state_back.ok());
  CHECK(*state_back == state);
}

TEST_CASE("damaged records decode to corruption naming their key", "[replication][codec]") {
  for (const char* text : {"", "not json", "[]", R"({"name":"a"})",
                           R"({"name":"a","topic_id":"x","partitions":0,"internal":false,"configs":{}})",
                           R"({"name":"a","topic_id":"x","partitions":1,"internal":false,"configs":{"k":1}})"}) {
    auto topic = decode_topic_record(text, "meta/topics/a");
    REQUIRE_FALSE(topic.ok());
    CHECK(topic.status().code() == ErrorCode::corruption);
    CHECK(topic.status().message().starts_with("meta/topics/a: "));
  }
  for (const char* text : {"{}", R"({"replicas":[1],"leader":1,"leader_epoch":-1,"isr":[1]})",
                           R"({"replicas":["1"],"leader":1,"leader_epoch":0,"isr":[1]})"}) {
    auto state = decode_partition_state(text, "meta/partitions/a/0");
    REQUIRE_FALSE(state.ok());
    CHECK(state.status().code() == ErrorCode::corruption);
  }
  CHECK(decode_counter("12", "c").value() == 12);
  CHECK_FALSE(decode_counter("-1", "c").ok());
  CHECK_FALSE(decode_counter("1x", "c").ok());
  CHECK_FALSE(decode_counter("", "c").ok());
}

}  // namespace
}  // namespace strata::replication
