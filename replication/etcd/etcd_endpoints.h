#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace strata::replication {

// One etcd member's client URL, as given on the command line.
struct EtcdEndpoint {
  std::string url;     // "http://127.0.0.1:2379", for messages
  std::string target;  // "127.0.0.1:2379", for gRPC
};

// Parses --etcd-endpoints: comma-separated http://HOST:PORT URLs (spaces
// around commas allowed, a trailing slash too). Errors (invalid_argument):
// an empty list, an empty item, a scheme other than http:// (https:// is
// unsupported until etcd TLS is), a missing host or a port that is not
// 1-65535.
Result<std::vector<EtcdEndpoint>> parse_etcd_endpoints(std::string_view list);

}  // namespace strata::replication
