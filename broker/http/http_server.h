#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "broker/host_port.h"
#include "common/result.h"
#include "common/status.h"

namespace httplib {
class Server;
}
namespace prometheus {
class Registry;
}

namespace strata::broker {

class TopicManager;

// The HTTP listener: GET /healthz ("ok") and GET /metrics (Prometheus text:
// the registry's metrics plus per-partition log end offset, high watermark,
// log start offset and size, read from the partitions at scrape time).
// Serves on its own threads (cpp-httplib); start()/stop() from the owner.
class HttpServer {
 public:
  HttpServer(prometheus::Registry& registry, const TopicManager& topics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `address` (port 0: any free port) and starts serving. Returns the
  // bound address. Errors: io_error when the address cannot be bound.
  Result<HostPort> start(const HostPort& address);
  void stop();

 private:
  std::string render_metrics() const;
  // Until the accept loop runs or the listening thread returned; false at
  // `deadline`.
  bool wait_until_settled(std::chrono::steady_clock::time_point deadline) const;

  prometheus::Registry& registry_;
  const TopicManager& topics_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};  // set by thread_ as it ends
};

}  // namespace strata::broker
