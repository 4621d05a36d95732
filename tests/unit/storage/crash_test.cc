// A child process appends with durable acknowledgements and reports each one
// through a pipe; the parent SIGKILLs it at a random moment, reopens the log
// and checks that every acknowledged batch is there byte for byte.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <poll.h>
#include <random>

#include "storage/partition_log.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/crash_payload.h"

namespace strata::storage {
namespace {

using strata::testing::TempDir;
using namespace strata::storage::testing;

struct Child {
  pid_t pid = -1;
  int out = -1;  // read end of the child's stdout
};

Child spawn_appender(const std::filesystem::path& dir, long max_appends) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string max = std::to_string(max_appends);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl(STRATA_CRASH_APPENDER, STRATA_CRASH_APPENDER, dir.c_str(), max.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

// Reads acknowledgements until `want` arrived, the child exited, or the
// deadline passed; returns the highest acknowledged end offset (0 if none).
std::int64_t collect_acks(const Child& child, int want, std::chrono::milliseconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  std::int64_t highest = 0;
  int seen = 0;
  std::int64_t value = 0;
  std::size_t have = 0;
  while (seen < want && std::chrono::steady_clock::now() < deadline) {
    pollfd p{child.out, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    ssize_t n = ::read(child.out, reinterpret_cast<char*>(&value) + have, sizeof(value) - have);
    if (n <= 0) break;  // the child is gone
    have += static_cast<std::size_t>(n);
    if (have == sizeof(value)) {
      highest = std::max(highest, value);
      ++seen;
      have = 0;
    }
  }
  return highest;
}

void kill_and_reap(Child& child, std::int64_t& highest) {
  ::kill(child.pid, SIGKILL);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  // Acks the child wrote before it died still count.
  std::int64_t value = 0;
  while (::read(child.out, &value, sizeof(value)) == sizeof(value)) highest = std::max(highest, value);
  ::close(child.out);
}

TEST_CASE("every batch acknowledged as durable survives a SIGKILL byte for byte",
          "[storage][crash]") {
  TempDir tmp;
  const auto dir = tmp / "p-0";
  std::mt19937 rng(20261201);
  std::int64_t acked = 0;
  for (int round = 0; round < 6; ++round) {
    INFO("round " << round);
    Child child = spawn_appender(dir, 100000);
    std::int64_t highest = collect_acks(child, 1 + static_cast<int>(rng() % 400),
                                        std::chrono::seconds(5));
    kill_and_reap(child, highest);
    acked = std::max(acked, highest);

    auto opened = PartitionLog::open(dir, crash_log_options());
    REQUIRE(opened.ok());
    auto log = std::move(opened).value();
    REQUIRE(log->log_end_offset().value() >= acked);
    Offset at(0);
    for (int guard = 0; guard < 1'000'000 && at < log->log_end_offset(); ++guard) {
      auto got = log->read(at, 1);
      REQUIRE(got.ok());
      Buffer expected = crash_batch(at);
      REQUIRE(*got == expected);
      at += crash_records(at);
    }
    REQUIRE(at == log->log_end_offset());
    // The next child continues from what survived (close() writes the marker).
  }
  CHECK(acked > 0);
}

}  // namespace
}  // namespace strata::storage
