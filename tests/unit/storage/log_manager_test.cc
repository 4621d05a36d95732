#include "storage/log_manager.h"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"
#include "tests/unit/storage/test_batches.h"

namespace strata::storage {
namespace {

using strata::testing::TempDir;
using strata::testing::wait_until;
using namespace strata::storage::testing;

TEST_CASE("the log manager creates, reopens and removes partition logs by directory name",
          "[storage][log_manager]") {
  TempDir tmp;
  {
    auto manager = LogManager::open(tmp / "data");
    REQUIRE(manager.ok());
    auto log = (*manager)->create_log("orders-0", small_log_options());
    REQUIRE(log.ok());
    std::atomic<bool> durable{false};
    Buffer b = make_batch(2, 10, 1, 1);
    REQUIRE((*log)->append(b, [&](Status st) { durable = st.ok(); }).ok());
    REQUIRE(wait_until([&] { return durable.load(); }));
    CHECK((*manager)->create_log("orders-0", {}).status() == ErrorCode::already_exists);
    CHECK((*manager)->open_log("orders-0", {}).value() == *log);  // the same open log
    CHECK((*manager)->get("orders-0") == *log);
    CHECK((*manager)->open_log("../escape", {}).status() == ErrorCode::invalid_argument);
    REQUIRE((*manager)->open_log("orders-1", {}).ok());
    CHECK((*manager)->list_on_disk().value() == std::vector<std::string>{"orders-0", "orders-1"});
    REQUIRE((*manager)->remove_log("orders-1").ok());
    CHECK((*manager)->get("orders-1") == nullptr);
    CHECK_FALSE(std::filesystem::exists(tmp / "data" / "orders-1"));
    CHECK((*manager)->remove_log("orders-1").code() == ErrorCode::not_found);
  }
  auto manager = LogManager::open(tmp / "data");
  REQUIRE(manager.ok());
  auto log = (*manager)->open_log("orders-0", small_log_options());
  REQUIRE(log.ok());
  CHECK((*log)->log_end_offset() == Offset(2));
}

}  // namespace
}  // namespace strata::storage
