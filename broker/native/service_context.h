#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <grpcpp/grpcpp.h>

#include "broker/broker_probe.h"
#include "broker/host_port.h"

namespace strata::broker {
class GroupCoordinator;
class OffsetsStore;
class ProducerIdAllocator;
class TopicManager;
}  // namespace strata::broker

namespace strata::broker::native {

// Who this broker is, as BrokerInfo and GetMetadata describe it. Server
// sets the public fields before the gRPC server starts and never changes
// them. The listener addresses are known only once the listeners are bound,
// when calls may already be running, so they are behind a mutex: Server
// calls set_addresses(), any thread reads them.
class BrokerIdentity {
 public:
  std::int32_t node_id = 0;
  std::string cluster_id;
  std::string data_dir;
  std::chrono::steady_clock::time_point started_at = std::chrono::steady_clock::now();

  void set_addresses(HostPort native, HostPort http) {
    std::lock_guard lock(mu_);
    native_address_ = std::move(native);
    http_address_ = std::move(http);
  }
  // Empty host and port 0 until set_addresses().
  HostPort native_address() const {
    std::lock_guard lock(mu_);
    return native_address_;
  }
  HostPort http_address() const {
    std::lock_guard lock(mu_);
    return http_address_;
  }

 private:
  mutable std::mutex mu_;
  HostPort native_address_;  // guarded by mu_
  HostPort http_address_;    // guarded by mu_
};

// What every native service needs; owned by the Server, outlives the gRPC
// server. The referenced objects are thread-safe as their headers say.
struct ServiceContext {
  TopicManager& topics;
  OffsetsStore& offsets;
  GroupCoordinator& groups;
  asio::thread_pool& pool;
  BrokerProbe& probe;
  ProducerIdAllocator& producer_ids;  // shared with the Kafka listener
  BrokerIdentity identity;
  std::size_t max_message_bytes = 0;
  const std::atomic<bool>& stopping;
};

// Runs `fn` (which fills the response) on `executor`, never on the gRPC
// thread, then finishes the unary call with OK and records its latency.
template <typename Executor, typename Fn>
grpc::ServerUnaryReactor* run_unary(grpc::CallbackServerContext* call, ServiceContext& ctx,
                                    std::string_view api, const Executor& executor, Fn fn) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  const auto start = std::chrono::steady_clock::now();
  asio::post(executor, [reactor, &ctx, api, start, fn = std::move(fn)]() mutable {
    fn();
    ctx.probe.observe_request(
        api, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace strata::broker::native
