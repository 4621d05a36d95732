#include "client/src/partitioner.h"

#include <string>

#include <catch2/catch.hpp>

namespace strata::client {
namespace {

std::int32_t hash(const std::string& s) { return murmur2(as_bytes(s)); }

TEST_CASE("murmur2 matches Kafka's Utils.murmur2 test vectors", "[client][partitioner]") {
  // The expectations of Kafka's UtilsTest.testMurmur2.
  CHECK(hash("21") == -973932308);
  CHECK(hash("foobar") == -790332482);
  CHECK(hash("a-little-bit-long-string") == -985981536);
  CHECK(hash("a-little-bit-longer-string") == -1486304829);
  CHECK(hash("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  CHECK(hash("abc") == 479470107);
}

TEST_CASE("murmur2 covers every tail length and the empty key", "[client][partitioner]") {
  // Every length mod 4 takes a different tail path; hashes must differ and
  // stay stable.
  // The empty key skips the body and the tail, so only the seed and the
  // finaliser act: 0x106e08d9 (275646681), the value librdkafka's rdmurmur2
  // unit test expects for "" from Kafka's Java Utils.murmur2.
  CHECK(hash("") == 0x106e08d9);
  CHECK(murmur2({}) == 0x106e08d9);
  // librdkafka's vectors for tails of 0, 3, 2 and 1 bytes.
  CHECK(hash("1234") == -1614185708);  // 0x9fc97b14
  CHECK(hash("234") == -406844982);    // 0xe7c009ca
  CHECK(hash("34") == -2026295078);    // 0x873930da
  CHECK(hash("4") == 1514888353);      // 0x5a4b5ca1
  CHECK(hash("a") != hash("b"));
  CHECK(hash("ab") != hash("ba"));
  CHECK(hash("abcd") != hash("abce"));
}

TEST_CASE("to_positive clears the sign bit like Kafka, not abs()", "[client][partitioner]") {
  CHECK(to_positive(-1) == 0x7fffffff);
  CHECK(to_positive(std::numeric_limits<std::int32_t>::min()) == 0);
  CHECK(to_positive(5) == 5);
}

TEST_CASE("a key always maps to the same partition, spread over all of them",
          "[client][partitioner]") {
  // "foobar": toPositive(-790332482) % 8 = 1357151166 % 8.
  CHECK(partition_for_key(as_bytes("foobar"), 8) == (1357151166 % 8));
  std::vector<int> hits(8, 0);
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "key-" + std::to_string(i);
    const auto p = partition_for_key(as_bytes(key), 8);
    REQUIRE(p >= 0);
    REQUIRE(p < 8);
    CHECK(partition_for_key(as_bytes(key), 8) == p);
    ++hits[static_cast<std::size_t>(p)];
  }
  for (int count : hits) CHECK(count > 50);
}

}  // namespace
}  // namespace strata::client
