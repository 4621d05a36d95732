#include "replication/etcd/etcd_connection.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "replication/etcd/logger.h"

namespace strata::replication {
namespace {

std::shared_ptr<grpc::Channel> make_channel(const EtcdEndpoint& endpoint,
                                            const EtcdClientOptions& options) {
  grpc::ChannelArguments args;
  // gRPC's default reconnect backoff grows to 120 s; a restarted etcd must be
  // found again within about a second.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
              static_cast<int>(std::max<std::int64_t>(100, options.max_backoff.count())));
  // Despite its name, gRPC core reads this as the minimum time one connection
  // attempt (TCP and HTTP/2 handshake) may take: too short and a member busy
  // right after its restart is never reached ("tcp handshaker shutdown").
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS,
              static_cast<int>(std::max<std::int64_t>(1000, options.attempt_timeout.count())));
  // Pings find a dead connection under an open watch. etcd's default
  // --grpc-keepalive-min-time is 5 s and it refuses pings without a stream.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  // Each endpoint is its own member: no sharing of subchannels between them.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(endpoint.target, grpc::InsecureChannelCredentials(), args);
}

bool is_unreachable(const grpc::Status& status) {
  // RESOURCE_EXHAUSTED: etcd's "too many requests"; another member may answer.
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

}  // namespace

EtcdConnection::EtcdConnection(std::vector<EtcdEndpoint> endpoints,
                               const EtcdClientOptions& options)
    : endpoints_(std::move(endpoints)), options_(options) {
  STRATA_CHECK(!endpoints_.empty(), "EtcdConnection needs at least one endpoint");
  for (const EtcdEndpoint& e : endpoints_) channels_.push_back(make_channel(e, options_));
}

std::size_t EtcdConnection::current() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::shared_ptr<grpc::Channel> EtcdConnection::channel(std::size_t index) const {
  return channels_[index];
}

void EtcdConnection::mark_failed(std::size_t index, const grpc::Status& status) {
  std::lock_guard lock(mu_);
  if (reachable_) {
    etcd_logger()->warn("etcd: {} did not answer ({}); trying the other endpoints of {}",
                        endpoints_[index].url, status.error_message(), endpoint_list());
  }
  reachable_ = false;
  if (current_ == index) current_ = (index + 1) % endpoints_.size();
}

void EtcdConnection::mark_ok(std::size_t index) {
  std::lock_guard lock(mu_);
  if (!reachable_) etcd_logger()->info("etcd: reachable again at {}", endpoints_[index].url);
  reachable_ = true;
}

bool EtcdConnection::is_reachable() const {
  std::lock_guard lock(mu_);
  return reachable_;
}

std::string EtcdConnection::endpoint_list() const {
  std::string out;
  for (const EtcdEndpoint& e : endpoints_) out += (out.empty() ? "" : ", ") + e.url;
  return out;
}

bool EtcdConnection::await_connected(std::size_t index, Deadline deadline) {
  grpc::Channel& channel = *channels_[index];
  grpc_connectivity_state state = channel.GetState(/*try_to_connect=*/true);
  bool attempted = false;
  // Bounded by `deadline`: each pass waits for one state change.
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_SHUTDOWN) return false;
    // A failure seen after an attempt we watched: the member is not there.
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE && attempted) return false;
    if (state == GRPC_CHANNEL_CONNECTING) attempted = true;
    if (!channel.WaitForStateChange(state, deadline)) return false;
    state = channel.GetState(/*try_to_connect=*/true);
  }
  return true;
}

Status EtcdConnection::to_status(std::string_view what, const grpc::Status& status) {
  const std::string message = "etcd " + std::string(what) + ": " + status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return Status();
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return Status(ErrorCode::unavailable, message);
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return Status(ErrorCode::timed_out, message);
    case grpc::StatusCode::NOT_FOUND:
      return Status(ErrorCode::not_found, message);
    case grpc::StatusCode::OUT_OF_RANGE:  // "mvcc: required revision has been compacted"
      return Status(ErrorCode::out_of_range, message);
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return Status(ErrorCode::invalid_argument, message);
    case grpc::StatusCode::UNIMPLEMENTED:
      return Status(ErrorCode::unsupported, message);
    case grpc::StatusCode::CANCELLED:
      return Status(ErrorCode::shutting_down, message);
    default:
      return Status(ErrorCode::internal, message);
  }
}

Status EtcdConnection::call(std::string_view what, Retry retry, const Attempt& attempt,
                            std::chrono::milliseconds budget) {
  using Clock = std::chrono::system_clock;
  if (budget.count() <= 0) budget = options_.call_timeout;
  const Clock::time_point deadline = Clock::now() + budget;
  std::chrono::milliseconds backoff = options_.initial_backoff;
  std::size_t failures_this_round = 0;
  grpc::Status last;
  std::string last_url;
  // Bounded by `deadline`: every pass either returns or spends time in an
  // attempt (bounded by its own deadline) or a backoff.
  while (true) {
    const std::size_t index = current();
    const Clock::time_point attempt_deadline =
        std::min(deadline, Clock::now() + options_.attempt_timeout);
    last_url = endpoints_[index].url;
    if (await_connected(index, attempt_deadline)) {
      last = attempt(channels_[index], attempt_deadline);
    } else {
      last = grpc::Status(grpc::StatusCode::UNAVAILABLE, "not connected");
    }
    if (last.ok()) {
      mark_ok(index);
      return Status();
    }
    const bool timed_out = last.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
    if (!is_unreachable(last) && !timed_out) return to_status(what, last);
    mark_failed(index, last);
    if (timed_out && retry == Retry::write) {
      return Status(ErrorCode::timed_out,
                    "etcd " + std::string(what) + ": no answer from " + last_url +
                        " before the deadline; the write may or may not have been applied");
    }
    if (Clock::now() >= deadline) break;
    if (++failures_this_round >= endpoints_.size()) {
      failures_this_round = 0;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      std::this_thread::sleep_for(std::min(backoff, left));
      backoff = std::min(backoff * 2, options_.max_backoff);
      if (Clock::now() >= deadline) break;
    }
  }
  return Status(last.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ? ErrorCode::timed_out
                                                                         : ErrorCode::unavailable,
                "etcd " + std::string(what) + ": unreachable, no endpoint answered within " +
                    std::to_string(budget.count()) + " ms (" + endpoint_list() +
                    "); last error from " + last_url + ": " + last.error_message());
}

}  // namespace strata::replication
