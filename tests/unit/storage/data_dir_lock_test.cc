#include "storage/data_dir_lock.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/temp_dir.h"

namespace strata::storage {
namespace {

using testing::TempDir;

TEST_CASE("a data dir lock is exclusive until its holder lets go", "[storage][lock]") {
  TempDir dir;
  auto first = DataDirLock::acquire(dir.path());
  REQUIRE(first.ok());

  // flock conflicts between open file descriptions, even in one process:
  // this is what a second broker on the same directory gets.
  auto second = DataDirLock::acquire(dir.path());
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == ErrorCode::unavailable);
  const std::string message = second.status().message();
  CHECK(message.find(dir.path().string()) != std::string::npos);
  CHECK(message.find("pid " + std::to_string(::getpid())) != std::string::npos);

  first->reset();
  auto third = DataDirLock::acquire(dir.path());
  CHECK(third.ok());
}

TEST_CASE("a data dir lock on a missing directory is an io_error naming the file",
          "[storage][lock]") {
  TempDir dir;
  auto lock = DataDirLock::acquire(dir.path() / "missing");
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.status().code() == ErrorCode::io_error);
  CHECK(lock.status().message().find("strata.lock") != std::string::npos);
}

}  // namespace
}  // namespace strata::storage
