#include "client/src/connection.h"

#include <algorithm>

#include "client/src/proto_convert.h"

namespace strata::client {

namespace {

std::shared_ptr<grpc::Channel> make_channel(const std::string& address,
                                            const ConnectionOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  args.SetMaxSendMessageSize(-1);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::max(options.reconnect_backoff_ms, 1));
  // GRPC_ARG_MIN_RECONNECT_BACKOFF_MS stays at gRPC's default on purpose: gRPC
  // also uses it as the minimum connect timeout, and a 50 ms value failed every
  // first call to a broker slower than that to finish its HTTP/2 handshake.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, std::max(options.reconnect_backoff_max_ms, 1));
  // Each client gets its own TCP connection, so a producer and a consumer in
  // one process do not share (and contend for) one HTTP/2 connection.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // Brokers are reached directly, never through an http_proxy from the
  // environment.
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

}  // namespace

Connection::Connection(std::string address, const ConnectionOptions& options)
    : address_(std::move(address)),
      options_(options),
      channel_(make_channel(address_, options)),
      metadata_(v1::MetadataService::NewStub(channel_)),
      admin_(v1::AdminService::NewStub(channel_)),
      produce_(v1::ProduceService::NewStub(channel_)),
      fetch_(v1::FetchService::NewStub(channel_)),
      offsets_(v1::OffsetsService::NewStub(channel_)),
      groups_(v1::GroupService::NewStub(channel_)),
      users_(v1::UserService::NewStub(channel_)) {}

std::unique_ptr<grpc::ClientContext> Connection::unary_context() const {
  return unary_context(std::chrono::milliseconds(options_.request_timeout_ms));
}

std::unique_ptr<grpc::ClientContext> Connection::unary_context(
    std::chrono::milliseconds timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

Status Connection::check(const grpc::Status& status) {
  if (status.ok()) {
    record_success();
    return Status();
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) record_failure();
  return from_grpc(status, address_);
}

Status Connection::wait_connected() {
  const auto deadline =
      std::chrono::system_clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
  grpc_connectivity_state state = channel_->GetState(/*try_to_connect=*/true);
  bool has_tried = state != GRPC_CHANNEL_IDLE;
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE && has_tried) {
      record_failure();
      return Status(ErrorCode::unavailable,
                    "broker " + address_ + " unreachable: cannot connect");
    }
    if (state == GRPC_CHANNEL_SHUTDOWN) {
      return Status(ErrorCode::unavailable, "broker " + address_ + ": channel shut down");
    }
    if (state == GRPC_CHANNEL_IDLE) channel_->GetState(true);
    if (!channel_->WaitForStateChange(state, deadline)) {
      record_failure();
      return Status(ErrorCode::timed_out, "broker " + address_ + " unreachable: no connection within " +
                                              std::to_string(options_.request_timeout_ms) + " ms");
    }
    state = channel_->GetState(true);
    has_tried = true;
  }
  record_success();
  return Status();
}

bool Connection::may_attempt() const {
  std::lock_guard lock(mu_);
  return std::chrono::steady_clock::now() >= next_attempt_;
}

std::chrono::steady_clock::time_point Connection::next_attempt() const {
  std::lock_guard lock(mu_);
  return next_attempt_;
}

void Connection::record_failure() {
  std::lock_guard lock(mu_);
  const auto initial = std::chrono::milliseconds(std::max(options_.reconnect_backoff_ms, 1));
  const auto max = std::chrono::milliseconds(std::max(options_.reconnect_backoff_max_ms, 1));
  backoff_ = backoff_.count() == 0 ? initial : std::min(backoff_ * 2, max);
  next_attempt_ = std::chrono::steady_clock::now() + backoff_;
}

void Connection::record_success() {
  std::lock_guard lock(mu_);
  backoff_ = std::chrono::milliseconds(0);
  next_attempt_ = {};
}

Connection& ConnectionPool::get(const std::string& address) {
  std::lock_guard lock(mu_);
  auto& connection = connections_[address];
  if (!connection) connection = std::make_unique<Connection>(address, options_);
  return *connection;
}

std::string broker_address(const std::string& host, std::int32_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

}  // namespace strata::client
