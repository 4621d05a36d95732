#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace strata::testing {

// Polls `pred` until it holds or `timeout` passes; returns whether it held.
// Tests use this instead of sleeping for a guessed time.
inline bool wait_until(const std::function<bool()>& pred,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5),
                       std::chrono::milliseconds poll = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace strata::testing
