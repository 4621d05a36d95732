#include "storage/checkpoint_file.h"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"
#include "tests/unit/storage/test_batches.h"

namespace strata::storage {
namespace {

using strata::testing::TempDir;
using namespace strata::storage::testing;

TEST_CASE("a checkpoint reads back the value last written", "[storage][checkpoint]") {
  TempDir tmp;
  auto path = tmp / "x.checkpoint";
  CHECK_FALSE(CheckpointFile::read(path).value().has_value());
  REQUIRE(CheckpointFile::write(path, 42).ok());
  REQUIRE(CheckpointFile::write(path, -7).ok());
  CHECK(CheckpointFile::read(path).value() == std::optional<std::int64_t>(-7));
  CHECK(size_of_file(path) == CheckpointFile::kSize);
  CHECK_FALSE(std::filesystem::exists(tmp / "x.checkpoint.tmp"));
}

TEST_CASE("a damaged checkpoint reads as corruption, never as a value", "[storage][checkpoint]") {
  TempDir tmp;
  auto path = tmp / "x.checkpoint";
  REQUIRE(CheckpointFile::write(path, 1234).ok());
  for (std::uint64_t pos = 0; pos < CheckpointFile::kSize; ++pos) {
    REQUIRE(CheckpointFile::write(path, 1234).ok());
    corrupt_byte(path, pos);
    CHECK(CheckpointFile::read(path).status() == ErrorCode::corruption);
  }
  truncate_file(path, 5);
  CHECK(CheckpointFile::read(path).status() == ErrorCode::corruption);
  write_file(path, as_bytes("garbage garbage garbage"));
  CHECK(CheckpointFile::read(path).status() == ErrorCode::corruption);
}

}  // namespace
}  // namespace strata::storage
