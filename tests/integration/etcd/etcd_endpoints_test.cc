#include <catch2/catch.hpp>

#include "replication/etcd/etcd_endpoints.h"
#include "replication/etcd/etcd_types.h"

namespace strata::replication {
namespace {

TEST_CASE("etcd endpoints parse from a comma-separated list of http URLs", "[etcd][unit]") {
  auto endpoints = parse_etcd_endpoints("http://127.0.0.1:2379, http://etcd-2:23790/");
  REQUIRE(endpoints.ok());
  REQUIRE(endpoints->size() == 2);
  CHECK((*endpoints)[0].target == "127.0.0.1:2379");
  CHECK((*endpoints)[0].url == "http://127.0.0.1:2379");
  CHECK((*endpoints)[1].target == "etcd-2:23790");
}

TEST_CASE("etcd endpoints that are not http://HOST:PORT are refused with the reason",
          "[etcd][unit]") {
  const auto refused = [](const char* list, const char* why) {
    auto endpoints = parse_etcd_endpoints(list);
    INFO(list);
    REQUIRE_FALSE(endpoints.ok());
    CHECK(endpoints.status().code() == ErrorCode::invalid_argument);
    CHECK_THAT(endpoints.status().message(), Catch::Contains(why));
  };
  refused("", "empty item");
  refused("http://a:1,,http://b:2", "empty item");
  refused("https://a:2379", "https is not supported");
  refused("a:2379", "expected http://HOST:PORT");
  refused("http://a", "expected http://HOST:PORT");
  refused("http://a:0", "port must be 1-65535");
  refused("http://a:70000", "port must be 1-65535");
  refused("http://a:12x", "port must be 1-65535");
}

TEST_CASE("etcd prefix range ends one past the last key with the prefix", "[etcd][unit]") {
  CHECK(etcd_prefix_end("/strata/") == "/strata0");
  CHECK(etcd_prefix_end("ab\xff") == "ac");
  CHECK(etcd_prefix_end("") == std::string(1, '\0'));
  CHECK(etcd_prefix_end("\xff\xff") == std::string(1, '\0'));
}

}  // namespace
}  // namespace strata::replication
