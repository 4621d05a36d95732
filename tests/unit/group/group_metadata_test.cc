#include "broker/group/group_metadata.h"

#include <catch2/catch.hpp>

namespace strata::broker {

TEST_CASE("a group metadata record survives encode and decode", "[group][metadata]") {
  GroupMetadataRecord r;
  r.generation_id = 7;
  r.protocol_type = "consumer";
  r.protocol_name = "range";
  r.leader_id = "app-1";
  r.members.push_back({"app-1", "app", "127.0.0.1", 10000, 30000, "sub", std::string("a\0b", 3)});
  r.members.push_back({"app-2", "app", "::1", 6000, 6000, "", ""});
  auto decoded = decode_group_metadata(encode_group_metadata(r));
  REQUIRE(decoded.ok());
  CHECK(*decoded == r);
}

TEST_CASE("a truncated or padded group metadata record is corruption", "[group][metadata]") {
  GroupMetadataRecord r;
  r.protocol_type = "consumer";
  r.members.push_back({"m", "c", "h", 1, 2, "s", "a"});
  const std::string bytes = encode_group_metadata(r);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("length " << n);
    CHECK(decode_group_metadata(bytes.substr(0, n)).status().code() == ErrorCode::corruption);
  }
  CHECK(decode_group_metadata(bytes + "x").status().code() == ErrorCode::corruption);
}

}  // namespace strata::broker
