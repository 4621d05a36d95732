#include "common/status.h"

#include <catch2/catch.hpp>

#include "common/result.h"

using namespace strata;

namespace {
Result<int> parse_positive(int v) {
  if (v <= 0) return invalid_argument_error("value " + std::to_string(v) + " is not positive");
  return v;
}
Result<int> doubled(int v) {
  STRATA_TRY_ASSIGN(int parsed, parse_positive(v));
  return parsed * 2;
}
Status check_both(int a, int b) {
  STRATA_TRY(parse_positive(a).status());
  STRATA_TRY(parse_positive(b).status());
  return Status();
}
}  // namespace

TEST_CASE("an ok status has no message and prints as ok", "[common][status]") {
  Status s;
  CHECK(s.ok());
  CHECK(s.code() == ErrorCode::ok);
  CHECK(s.message().empty());
  CHECK(s.to_string() == "ok");
}

TEST_CASE("an error status carries its code and subject-first message", "[common][status]") {
  Status s = corruption_error("orders-3: crc mismatch");
  CHECK_FALSE(s.ok());
  CHECK(s == ErrorCode::corruption);
  CHECK(s.to_string() == "corruption: orders-3: crc mismatch");
  CHECK(s.with_context("open").message() == "open: orders-3: crc mismatch");
}

TEST_CASE("errno_error maps ENOSPC to no_space and others to io_error", "[common][status]") {
  CHECK(errno_error("write x", ENOSPC).code() == ErrorCode::no_space);
  CHECK(errno_error("write x", EIO).code() == ErrorCode::io_error);
  CHECK(errno_error("write x", EIO).message().find("write x: ") == 0);
}

TEST_CASE("STRATA_TRY_ASSIGN and STRATA_TRY propagate the first error", "[common][status]") {
  CHECK(doubled(4).value() == 8);
  auto bad = doubled(-1);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == ErrorCode::invalid_argument);
  CHECK(check_both(1, 2).ok());
  CHECK(check_both(1, -5).message() == "value -5 is not positive");
}
