#pragma once

#include <cstdint>

namespace strata::broker {

// Settings of the GroupCoordinator, with Kafka's defaults. Filled from the
// --group-* flags (broker/config.cc, docs/configuration.md); a plain value.
struct GroupCoordinatorOptions {
  // group.min.session.timeout.ms / group.max.session.timeout.ms: a JoinGroup
  // whose session timeout lies outside [min, max] gets INVALID_SESSION_TIMEOUT.
  std::int32_t min_session_timeout_ms = 6000;
  std::int32_t max_session_timeout_ms = 1800000;
  // group.initial.rebalance.delay.ms: how long a group that was Empty waits
  // for more members before its first generation (extended by each new
  // member, never past the longest rebalance timeout).
  std::int32_t initial_rebalance_delay_ms = 3000;
  // How often the timer thread checks session, rebalance and pending-member
  // deadlines. Deadlines fire at most this late.
  std::int32_t tick_ms = 50;
};

}  // namespace strata::broker
