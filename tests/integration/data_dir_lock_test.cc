#include <catch2/catch.hpp>

#include "tests/support/broker_process.h"
#include "tests/support/temp_dir.h"

namespace strata::testing {
namespace {

TEST_CASE("a second broker on a data dir in use exits, and starts once the first stops",
          "[integration][broker][lock]") {
  TempDir dir;
  BrokerProcess::Options options;
  options.data_dir = dir.path() / "data";
  BrokerProcess first(options);
  REQUIRE(first.start());

  BrokerProcess second(options);
  CHECK_FALSE(second.start());
  CHECK(second.error() == "the broker exited before it was ready");
  CHECK(first.running());

  CHECK(first.stop() == 0);
  BrokerProcess third(options);
  REQUIRE(third.start());
  CHECK(third.stop() == 0);
}

}  // namespace
}  // namespace strata::testing
