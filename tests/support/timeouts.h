#pragma once

#include <chrono>

namespace strata::testing {

// How many times longer tests give time-bound work under ThreadSanitizer,
// which runs every instrumented thread (test, client and broker alike) 5-15x
// slower. Deadlines that only bound how long a test may take scale with it;
// assertions stay as they are. 1 in other builds.
#if defined(__SANITIZE_THREAD__)
inline constexpr int kTimeoutScale = 4;
#else
inline constexpr int kTimeoutScale = 1;
#endif

// `timeout` scaled by kTimeoutScale.
constexpr std::chrono::milliseconds scaled(std::chrono::milliseconds timeout) {
  return timeout * kTimeoutScale;
}

}  // namespace strata::testing
