#pragma once

#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "broker/host_port.h"
#include "broker/kafka/handlers/handler_context.h"
#include "broker/kafka/server/kafka_server_options.h"
#include "common/result.h"

namespace asio {
class io_context;
}

namespace strata::broker::kafka {

class Connection;

// The Kafka-protocol listener: an acceptor and options.network_threads
// reactors (one io_context and thread each); every accepted socket becomes
// a Connection pinned to one reactor. Owned by the broker's Server, which
// must keep `ctx` (and the pool handlers run on) alive until this object is
// destroyed. listen(), start() and stop() from the owner's thread.
class KafkaServer {
 public:
  KafkaServer(KafkaServerOptions options, HandlerContext& ctx);
  ~KafkaServer();
  KafkaServer(const KafkaServer&) = delete;
  KafkaServer& operator=(const KafkaServer&) = delete;

  // Binds options.listen and returns the bound address (the real port when
  // 0 was asked). Errors: io_error (bind, listen).
  Result<HostPort> listen();
  // Starts the reactor threads and accepting. Requires: listen() succeeded.
  void start();
  // Stops accepting, closes every connection and joins the reactor threads.
  // Handlers still running on the pool complete into closed connections.
  void stop();

 private:
  struct Reactors;
  void accept_next();
  void track(const std::shared_ptr<Connection>& connection);

  const KafkaServerOptions options_;
  HandlerContext& ctx_;
  std::unique_ptr<Reactors> reactors_;
  std::vector<std::thread> threads_;
  std::size_t next_reactor_ = 0;  // accept handler only

  std::mutex mu_;
  std::vector<std::weak_ptr<Connection>> connections_;  // guarded by mu_
  bool stopped_ = false;                                // guarded by mu_
};

}  // namespace strata::broker::kafka
