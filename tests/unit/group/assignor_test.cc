// The client-side assignors and Kafka's consumer protocol encoding.

#include <strata/assignor.h>

#include <catch2/catch.hpp>

namespace strata::client {
namespace {

TopicPartition tp(const std::string& topic, int p) { return TopicPartition{topic, PartitionId(p)}; }

}  // namespace

TEST_CASE("range gives each member a contiguous range, the first ones one extra",
          "[group][assignor]") {
  auto range = make_range_assignor();
  CHECK(range->name() == "range");
  auto out = range->assign({{"t", 7}}, {{"b", {"t"}}, {"a", {"t"}}, {"c", {"t"}}});
  CHECK(out["a"] == std::vector<TopicPartition>{tp("t", 0), tp("t", 1), tp("t", 2)});
  CHECK(out["b"] == std::vector<TopicPartition>{tp("t", 3), tp("t", 4)});
  CHECK(out["c"] == std::vector<TopicPartition>{tp("t", 5), tp("t", 6)});
}

TEST_CASE("range works per topic, only among the topic's subscribers", "[group][assignor]") {
  auto out = make_range_assignor()->assign({{"x", 2}, {"y", 2}},
                                           {{"a", {"x", "y"}}, {"b", {"y"}}});
  CHECK(out["a"] == std::vector<TopicPartition>{tp("x", 0), tp("x", 1), tp("y", 0)});
  CHECK(out["b"] == std::vector<TopicPartition>{tp("y", 1)});
}

TEST_CASE("round robin deals sorted partitions to members in turn", "[group][assignor]") {
  auto rr = make_round_robin_assignor();
  CHECK(rr->name() == "roundrobin");
  auto out = rr->assign({{"x", 3}, {"y", 2}}, {{"a", {"x", "y"}}, {"b", {"x", "y"}}});
  CHECK(out["a"] == std::vector<TopicPartition>{tp("x", 0), tp("x", 2), tp("y", 1)});
  CHECK(out["b"] == std::vector<TopicPartition>{tp("x", 1), tp("y", 0)});
}

TEST_CASE("more members than partitions leaves some members empty", "[group][assignor]") {
  for (const char* name : {"range", "roundrobin"}) {
    auto out = make_assignor(name)->assign({{"t", 1}}, {{"a", {"t"}}, {"b", {"t"}}});
    CHECK(out.size() == 2);
    CHECK(out["a"].size() + out["b"].size() == 1);
  }
  CHECK(make_assignor("sticky") == nullptr);
}

TEST_CASE("consumer protocol subscription and assignment match Kafka's v0 bytes",
          "[group][assignor]") {
  const std::string sub = encode_subscription({{"ab"}, ""});
  // version 0, 1 topic, "ab", empty user data.
  const std::string expected_sub("\0\0\0\0\0\1\0\2ab\0\0\0\0", 14);
  CHECK(sub == expected_sub);
  auto decoded_sub = decode_subscription(sub);
  REQUIRE(decoded_sub.ok());
  CHECK(decoded_sub->topics == std::vector<std::string>{"ab"});

  const std::string assignment = encode_assignment({{tp("ab", 2), tp("ab", 0)}, "u"});
  const std::string expected(
      "\0\0"              // version
      "\0\0\0\1"          // one topic
      "\0\2ab"            // topic
      "\0\0\0\2"          // two partitions
      "\0\0\0\2\0\0\0\0"  // 2, 0
      "\0\0\0\1u",        // user data
      27);
  CHECK(assignment == expected);
  auto decoded = decode_assignment(assignment);
  REQUIRE(decoded.ok());
  CHECK(decoded->partitions == std::vector<TopicPartition>{tp("ab", 2), tp("ab", 0)});
  CHECK(decoded->user_data == "u");
  // Null user data (-1), as Kafka clients send it.
  auto null_user_data = decode_subscription(std::string("\0\1\0\0\0\0\xff\xff\xff\xff", 10));
  REQUIRE(null_user_data.ok());
  CHECK(null_user_data->topics.empty());
  CHECK(decode_assignment("").value().partitions.empty());
  for (std::size_t n = 1; n < assignment.size(); ++n) {
    CHECK(!decode_assignment(assignment.substr(0, n)).ok());
  }
}

}  // namespace strata::client
