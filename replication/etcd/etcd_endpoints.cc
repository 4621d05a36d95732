#include "replication/etcd/etcd_endpoints.h"

#include <charconv>

namespace strata::replication {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

Result<EtcdEndpoint> parse_one(std::string_view url) {
  const auto bad = [&](const std::string& why) {
    return invalid_argument_error("etcd endpoint '" + std::string(url) + "': " + why);
  };
  constexpr std::string_view kHttp = "http://";
  if (url.rfind("https://", 0) == 0) return bad("https is not supported yet; use http://");
  if (url.rfind(kHttp, 0) != 0) return bad("expected http://HOST:PORT");
  std::string_view rest = url.substr(kHttp.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad("expected http://HOST:PORT");
  const std::string_view host = rest.substr(0, colon);
  const std::string_view port_text = rest.substr(colon + 1);
  if (host.find('/') != std::string_view::npos) return bad("a path is not allowed");
  int port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
    return bad("port must be 1-65535");
  }
  return EtcdEndpoint{std::string(url), std::string(rest)};
}

}  // namespace

Result<std::vector<EtcdEndpoint>> parse_etcd_endpoints(std::string_view list) {
  const std::string whole(list);
  std::vector<EtcdEndpoint> endpoints;
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view item = trim(list.substr(0, comma));
    if (item.empty()) return invalid_argument_error("etcd endpoints '" + whole + "': an empty item");
    STRATA_TRY_ASSIGN(EtcdEndpoint endpoint, parse_one(item));
    endpoints.push_back(std::move(endpoint));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return endpoints;
}

}  // namespace strata::replication
