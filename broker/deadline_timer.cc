#include "broker/deadline_timer.h"

#include <system_error>
#include <utility>

namespace strata::broker {

void DeadlineTimer::arm(Clock::time_point at, std::function<void()> on_expiry) {
  std::lock_guard lock(mu_);
  timer_.expires_at(at);
  timer_.async_wait([on_expiry = std::move(on_expiry)](std::error_code ec) {
    if (!ec) on_expiry();
  });
}

void DeadlineTimer::cancel() {
  std::lock_guard lock(mu_);
  timer_.cancel();
}

}  // namespace strata::broker
