#pragma once

#include <chrono>
#include <functional>
#include <mutex>

#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>

namespace strata::broker {

// The max_wait deadline of a long poll (Kafka Fetch, the native Fetch
// stream): runs a function once when the deadline passes, unless it is
// cancelled or re-armed first. Unlike asio::steady_timer, any thread may
// arm or cancel it at any time. Owned by the waiting call; the function
// runs on the pool and must not outlive what it captures.
class DeadlineTimer {
 public:
  using Clock = std::chrono::steady_clock;

  explicit DeadlineTimer(asio::thread_pool& pool) : timer_(pool.get_executor()) {}
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // `on_expiry` runs once `at` passes; an earlier arming that has not run
  // yet is dropped.
  void arm(Clock::time_point at, std::function<void()> on_expiry);
  // Drops the arming that has not run yet, if any.
  void cancel();

 private:
  std::mutex mu_;
  asio::steady_timer timer_;  // guarded by mu_
};

}  // namespace strata::broker
