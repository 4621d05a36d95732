#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace strata::broker {

// A listener address, "HOST:PORT". Port 0 asks the OS for a free port.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;

  std::string to_string() const { return host + ":" + std::to_string(port); }
};

// Parses "HOST:PORT" (the last ':' splits; "[::1]:80" keeps its brackets).
// Errors: invalid_argument naming the text when the host is empty or the
// port is not a number in [0, 65535].
Result<HostPort> parse_host_port(std::string_view text);

}  // namespace strata::broker
