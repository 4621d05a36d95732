#pragma once

// A gRPC channel to one broker, with the stubs of every native service.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/grpcpp.h>

#include <strata/options.h>

#include "common/status.h"
#include "strata/v1/admin_service.grpc.pb.h"
#include "strata/v1/fetch_service.grpc.pb.h"
#include "strata/v1/group_service.grpc.pb.h"
#include "strata/v1/metadata_service.grpc.pb.h"
#include "strata/v1/offsets_service.grpc.pb.h"
#include "strata/v1/user_service.grpc.pb.h"
#include "strata/v1/produce_service.grpc.pb.h"

namespace strata::client {

// One broker's channel. gRPC reconnects the channel itself, with the
// exponential backoff of ConnectionOptions; this class adds the same backoff
// for the client's own attempts (reopening a stream) and turns transport
// failures into Statuses that name the broker. Thread-safe; shared by the
// streams and calls of one client through a ConnectionPool.
class Connection {
 public:
  Connection(std::string address, const ConnectionOptions& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& address() const { return address_; }

  // A context whose deadline is request_timeout_ms from now (or `timeout`).
  std::unique_ptr<grpc::ClientContext> unary_context() const;
  std::unique_ptr<grpc::ClientContext> unary_context(std::chrono::milliseconds timeout) const;

  // Converts a call's gRPC status (ok or a transport failure naming this
  // broker) and records it for the reconnect backoff.
  Status check(const grpc::Status& status);

  // Waits until the channel is connected, at most request_timeout_ms.
  // unavailable at once when the broker refuses connections, timed_out at
  // the deadline. Used before opening a long-lived stream.
  Status wait_connected();

  // Whether the reconnect backoff after the last failure has passed.
  bool may_attempt() const;
  // Records a failed (or successful) attempt: the backoff doubles from
  // reconnect_backoff_ms up to reconnect_backoff_max_ms, and resets.
  void record_failure();
  void record_success();
  // When the next attempt is allowed.
  std::chrono::steady_clock::time_point next_attempt() const;

  v1::MetadataService::Stub& metadata() { return *metadata_; }
  v1::AdminService::Stub& admin() { return *admin_; }
  v1::ProduceService::Stub& produce() { return *produce_; }
  v1::FetchService::Stub& fetch() { return *fetch_; }
  v1::OffsetsService::Stub& offsets() { return *offsets_; }
  v1::GroupService::Stub& groups() { return *groups_; }
  v1::UserService::Stub& users() { return *users_; }

 private:
  const std::string address_;
  const ConnectionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::MetadataService::Stub> metadata_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::ProduceService::Stub> produce_;
  std::unique_ptr<v1::FetchService::Stub> fetch_;
  std::unique_ptr<v1::OffsetsService::Stub> offsets_;
  std::unique_ptr<v1::GroupService::Stub> groups_;
  std::unique_ptr<v1::UserService::Stub> users_;

  mutable std::mutex mu_;
  std::chrono::milliseconds backoff_{0};                 // guarded by mu_
  std::chrono::steady_clock::time_point next_attempt_;   // guarded by mu_
};

// The connections of one client, one per broker address, created on first
// use. Thread-safe; owned by the client's Impl.
class ConnectionPool {
 public:
  explicit ConnectionPool(ConnectionOptions options) : options_(std::move(options)) {}

  const ConnectionOptions& options() const { return options_; }
  Connection& bootstrap() { return get(options_.bootstrap); }
  Connection& get(const std::string& address);

 private:
  const ConnectionOptions options_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Connection>> connections_;  // guarded by mu_
};

// "host:port" of a proto Broker.
std::string broker_address(const std::string& host, std::int32_t port);

}  // namespace strata::client
