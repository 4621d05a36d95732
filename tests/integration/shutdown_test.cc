// A broker told to stop at any moment stops: the case a service manager hits
// when it stops a unit right after starting it.

#include <catch2/catch.hpp>

#include "tests/support/broker_process.h"
#include "tests/support/temp_dir.h"

namespace strata::testing {
namespace {

TEST_CASE("SIGTERM right after the ready line stops the broker cleanly, every time",
          "[integration][broker][shutdown]") {
  // The HTTP listener once lost a stop() that came before its accept loop
  // ran, and the broker hung in shutdown (about 1 start in 20 on a busy
  // machine): repeat the race a number of times.
  TempDir dir;
  BrokerProcess::Options options;
  options.data_dir = dir.path() / "data";
  for (int i = 0; i < 20; ++i) {
    INFO("start " << i);
    BrokerProcess broker(options);
    REQUIRE(broker.start());
    REQUIRE(broker.stop() == 0);
  }
}

}  // namespace
}  // namespace strata::testing
