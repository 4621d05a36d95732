#include "broker/deadline_timer.h"

#include <atomic>
#include <chrono>

#include <asio/thread_pool.hpp>
#include <catch2/catch.hpp>

#include "tests/support/wait.h"

namespace strata::broker {
namespace {

using std::chrono::milliseconds;
using strata::testing::wait_until;

// One pool thread, so armings run in deadline order.
TEST_CASE("an armed deadline timer runs its function once the deadline passes",
          "[broker][deadline_timer]") {
  asio::thread_pool pool(1);
  DeadlineTimer timer(pool);
  std::atomic<int> runs{0};
  timer.arm(DeadlineTimer::Clock::now() + milliseconds(10), [&] { ++runs; });
  CHECK(wait_until([&] { return runs.load() == 1; }));
  pool.join();
  CHECK(runs.load() == 1);
}

TEST_CASE("a cancelled deadline timer does not run its function", "[broker][deadline_timer]") {
  asio::thread_pool pool(1);
  DeadlineTimer cancelled(pool);
  DeadlineTimer later(pool);
  std::atomic<bool> cancelled_ran{false};
  std::atomic<bool> later_ran{false};
  const auto now = DeadlineTimer::Clock::now();
  cancelled.arm(now + milliseconds(200), [&] { cancelled_ran = true; });
  later.arm(now + milliseconds(300), [&] { later_ran = true; });
  cancelled.cancel();
  CHECK(wait_until([&] { return later_ran.load(); }));
  CHECK_FALSE(cancelled_ran.load());
  pool.join();
}

TEST_CASE("re-arming a deadline timer drops the earlier arming", "[broker][deadline_timer]") {
  asio::thread_pool pool(1);
  DeadlineTimer timer(pool);
  std::atomic<bool> first_ran{false};
  std::atomic<bool> second_ran{false};
  const auto now = DeadlineTimer::Clock::now();
  timer.arm(now + milliseconds(200), [&] { first_ran = true; });
  timer.arm(now + milliseconds(300), [&] { second_ran = true; });
  CHECK(wait_until([&] { return second_ran.load(); }));
  CHECK_FALSE(first_ran.load());
  pool.join();
}

}  // namespace
}  // namespace strata::broker
