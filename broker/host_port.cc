#include "broker/host_port.h"

#include <charconv>
#include <string>

namespace strata::broker {
namespace {

// Built with append rather than operator+: GCC 12 at -O3 reports a false
// -Wrestrict on `"'" + std::string(...)` (GCC bug 105329).
Status bad_host_port(std::string_view text, std::string_view why) {
  std::string message;
  message.append("'").append(text).append("'").append(why);
  return invalid_argument_error(std::move(message));
}

}  // namespace

Result<HostPort> parse_host_port(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return bad_host_port(text, " is not HOST:PORT");
  }
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return bad_host_port(text, ": port must be a number in [0, 65535]");
  }
  return HostPort{std::string(text.substr(0, colon)), static_cast<std::uint16_t>(port)};
}

}  // namespace strata::broker
