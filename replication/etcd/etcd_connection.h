#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "common/status.h"
#include "replication/etcd/etcd_client_options.h"
#include "replication/etcd/etcd_endpoints.h"

namespace strata::replication {

// The gRPC channels to every etcd endpoint and the choice of the one to use:
// calls go to the current endpoint and move on to the next when it does not
// answer, pausing (with doubling backoff) after every endpoint failed once.
// Internal to replication/etcd (the only place that sees gRPC types); owned
// by EtcdClient and shared with its watchers and sessions. Thread-safe.
class EtcdConnection {
 public:
  using Deadline = std::chrono::system_clock::time_point;
  // One try of an RPC on one channel, bounded by `deadline`.
  using Attempt = std::function<grpc::Status(const std::shared_ptr<grpc::Channel>& channel,
                                             Deadline deadline)>;

  // Whether a failed attempt may be tried again elsewhere. A read may always
  // be. A write may be after UNAVAILABLE (etcd did not take it, or took it
  // and the retry is harmless for a put or a delete; a Txn retried so can
  // answer "compare failed" for its own earlier write: callers compare their
  // own value), never after a deadline, which leaves it unknown.
  enum class Retry { read, write };

  EtcdConnection(std::vector<EtcdEndpoint> endpoints, const EtcdClientOptions& options);
  EtcdConnection(const EtcdConnection&) = delete;
  EtcdConnection& operator=(const EtcdConnection&) = delete;

  // Runs `attempt` on the current endpoint, then the next ones, until it
  // succeeds, fails for a reason other than reachability, or `budget` passes
  // (call_timeout when zero). Errors: unavailable
  // (no endpoint answered, naming them and the last error), timed_out (a
  // write's deadline passed: it may or may not have been applied),
  // not_found, out_of_range (a compacted revision), invalid_argument, ...
  // each with "etcd <what>: " in front. Blocks the calling thread.
  Status call(std::string_view what, Retry retry, const Attempt& attempt,
              std::chrono::milliseconds budget = std::chrono::milliseconds(0));

  // Waits until the channel of endpoint `index` is connected: true, or false
  // when a connection attempt failed or `deadline` passed first. Waiting
  // here, rather than in a call that fails fast, is what drives gRPC's
  // reconnection: a channel nobody waits on is polled only every 5 s.
  bool await_connected(std::size_t index, Deadline deadline);

  // The endpoint to use now, and its channel.
  std::size_t current() const;
  std::shared_ptr<grpc::Channel> channel(std::size_t index) const;
  const EtcdEndpoint& endpoint(std::size_t index) const { return endpoints_[index]; }
  std::size_t size() const { return endpoints_.size(); }
  // Reports the outcome of an RPC on endpoint `index`; a failure moves the
  // current endpoint on (unless another caller already did) and logs once
  // per outage, success logs the recovery.
  void mark_failed(std::size_t index, const grpc::Status& status);
  void mark_ok(std::size_t index);
  // False from the first unreachable answer until the next success.
  bool is_reachable() const;
  // "http://a:1, http://b:2", for messages.
  std::string endpoint_list() const;
  const EtcdClientOptions& options() const { return options_; }

  // Maps a failed gRPC status to ours, with "etcd <what>: " in front.
  static Status to_status(std::string_view what, const grpc::Status& status);

 private:
  const std::vector<EtcdEndpoint> endpoints_;
  const EtcdClientOptions options_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;  // one per endpoint, fixed
  mutable std::mutex mu_;
  std::size_t current_ = 0;  // guarded by mu_
  bool reachable_ = true;    // guarded by mu_
};

}  // namespace strata::replication
