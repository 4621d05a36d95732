#include "broker/host_port.h"

#include <charconv>

namespace strata::broker {

Result<HostPort> parse_host_port(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return invalid_argument_error("'" + std::string(text) + "' is not HOST:PORT");
  }
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return invalid_argument_error("'" + std::string(text) + "': port must be a number in [0, 65535]");
  }
  return HostPort{std::string(text.substr(0, colon)), static_cast<std::uint16_t>(port)};
}

}  // namespace strata::broker
