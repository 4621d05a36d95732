#include "broker/kafka/server/kafka_server.h"

#include <algorithm>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>

#include "broker/kafka/server/connection.h"
#include "broker/logger.h"

namespace strata::broker::kafka {

struct KafkaServer::Reactors {
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<Guard> guards;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor;
};

KafkaServer::KafkaServer(KafkaServerOptions options, HandlerContext& ctx)
    : options_(std::move(options)), ctx_(ctx), reactors_(std::make_unique<Reactors>()) {
  const int n = std::max(1, options_.network_threads);
  for (int i = 0; i < n; ++i) {
    reactors_->contexts.push_back(std::make_unique<asio::io_context>(1));
  }
}

KafkaServer::~KafkaServer() {
  stop();
  // Connections left in stopped io_contexts are destroyed with them.
  reactors_->acceptor.reset();
  reactors_->contexts.clear();
}

Result<HostPort> KafkaServer::listen() {
  std::error_code ec;
  asio::io_context& io = *reactors_->contexts.front();
  const std::string where = "kafka: listen on " + options_.listen.to_string();
  asio::ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(options_.listen.host, std::to_string(options_.listen.port),
                                    asio::ip::tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) return io_error(where + ": " + (ec ? ec.message() : "no address"));
  const asio::ip::tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(io);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return io_error(where + ": " + ec.message());
  const std::uint16_t port = acceptor->local_endpoint(ec).port();
  if (ec) return io_error(where + ": " + ec.message());
  reactors_->acceptor = std::move(acceptor);
  return HostPort{options_.listen.host, port};
}

void KafkaServer::start() {
  for (auto& io : reactors_->contexts) reactors_->guards.emplace_back(io->get_executor());
  accept_next();
  for (auto& io : reactors_->contexts) {
    threads_.emplace_back([raw = io.get()] { raw->run(); });
  }
}

void KafkaServer::accept_next() {
  asio::io_context& target = *reactors_->contexts[next_reactor_];
  next_reactor_ = (next_reactor_ + 1) % reactors_->contexts.size();
  reactors_->acceptor->async_accept(
      target, [this](std::error_code ec, asio::ip::tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !reactors_->acceptor->is_open()) return;
        if (!ec) {
          std::error_code opt_ec;
          socket.set_option(asio::ip::tcp::no_delay(true), opt_ec);
          auto connection = std::make_shared<Connection>(std::move(socket), ctx_, options_);
          track(connection);
          // Start on the connection's own reactor.
          auto executor = connection->executor();
          asio::post(executor, [connection] { connection->start(); });
        } else {
          logger()->warn("kafka: accept failed: {}", ec.message());
        }
        accept_next();
      });
}

void KafkaServer::track(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mu_);
  std::erase_if(connections_, [](const std::weak_ptr<Connection>& c) { return c.expired(); });
  connections_.push_back(connection);
}

void KafkaServer::stop() {
  std::vector<std::weak_ptr<Connection>> connections;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    connections.swap(connections_);
  }
  if (!reactors_->guards.empty()) {
    // Close the acceptor and every connection on their own threads.
    asio::post(*reactors_->contexts.front(), [this] {
      std::error_code ec;
      if (reactors_->acceptor) reactors_->acceptor->close(ec);
    });
    for (auto& weak : connections) {
      if (auto c = weak.lock()) asio::post(c->executor(), [c] { c->close(); });
    }
    for (auto& guard : reactors_->guards) guard.reset();
  }
  for (auto& io : reactors_->contexts) {
    // Close handlers were posted first; what remains are waits on closed sockets.
    io->stop();
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
}

}  // namespace strata::broker::kafka
