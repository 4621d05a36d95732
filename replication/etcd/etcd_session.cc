#include "replication/etcd/etcd_session.h"

#include <algorithm>
#include <utility>

#include "replication/etcd/etcd_client.h"
#include "replication/etcd/logger.h"

namespace strata::replication {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds renewal_interval(const EtcdSessionOptions& options,
                                           std::int64_t ttl_seconds) {
  if (options.keep_alive_interval.count() > 0) return options.keep_alive_interval;
  return std::max(std::chrono::milliseconds(100),
                  std::chrono::milliseconds(ttl_seconds * 1000 / 3));
}

}  // namespace

Result<std::unique_ptr<EtcdSession>> EtcdSession::start(EtcdClient& client,
                                                        const EtcdSessionOptions& options,
                                                        LostCallback on_lost) {
  STRATA_TRY_ASSIGN(EtcdLease lease, client.lease_grant(options.ttl));
  std::unique_ptr<EtcdSession> session(
      new EtcdSession(client, options, lease.id, lease.ttl_seconds, std::move(on_lost)));
  {
    // Under mu_, which run() takes first: the thread sees thread_ assigned.
    std::lock_guard lock(session->mu_);
    session->thread_ = std::thread([s = session.get()] { s->run(); });
  }
  etcd_logger()->info("etcd session: lease {} granted ttl_s={}", lease.id, lease.ttl_seconds);
  return session;
}

EtcdSession::EtcdSession(EtcdClient& client, const EtcdSessionOptions& options,
                         std::int64_t lease_id, std::int64_t ttl_seconds, LostCallback on_lost)
    : client_(client),
      lease_id_(lease_id),
      ttl_seconds_(ttl_seconds),
      interval_(renewal_interval(options, ttl_seconds)),
      on_lost_(std::move(on_lost)) {}

EtcdSession::~EtcdSession() {
  STRATA_CHECK(std::this_thread::get_id() != thread_.get_id(),
               "an EtcdSession destroyed from its own on_lost");
  close();
}

void EtcdSession::stop_thread() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EtcdSession::close() {
  const bool was_running = thread_.joinable();
  stop_thread();
  if (!was_running) return;
  const bool was_alive = alive_.exchange(false);
  if (!was_alive) return;
  const Status revoked = client_.lease_revoke(lease_id_);
  if (!revoked.ok() && revoked.code() != ErrorCode::not_found) {
    etcd_logger()->warn("etcd session: lease {} not revoked ({}); it expires after ttl_s={}",
                        lease_id_, revoked.to_string(), ttl_seconds_);
  }
}

void EtcdSession::run() {
  { std::lock_guard lock(mu_); }  // start() has assigned thread_
  const auto ttl = std::chrono::milliseconds(ttl_seconds_ * 1000);
  // The lease lives at least until `expires`: etcd restarted its TTL no
  // earlier than we sent the request it answered.
  Clock::time_point expires = Clock::now() + ttl;
  Status why;
  // Bounded by stop_thread() or the loss of the lease: each pass waits one
  // interval and makes one renewal bounded by the time the lease has left.
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (stop_cv_.wait_for(lock, interval_, [this] { return stopping_; })) return;
    }
    const Clock::time_point sent = Clock::now();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(expires - sent);
    if (left.count() <= 0) {
      why = Status(ErrorCode::unavailable,
                   "etcd session: lease " + std::to_string(lease_id_) + " lost: no renewal answered for ttl_s=" +
                       std::to_string(ttl_seconds_) + "; it must be presumed expired");
      break;
    }
    Result<std::int64_t> renewed = client_.lease_keep_alive_once(lease_id_, left);
    if (renewed.ok()) {
      expires = sent + std::chrono::seconds(*renewed);
      continue;
    }
    if (renewed.status().code() == ErrorCode::not_found) {
      why = Status(ErrorCode::not_found,
                   "etcd session: lease " + std::to_string(lease_id_) + " lost: etcd says it expired");
      break;
    }
    etcd_logger()->warn("etcd session: lease {} renewal failed: {}", lease_id_,
                        renewed.status().to_string());
  }
  alive_ = false;
  etcd_logger()->error("{}", why.message());
  if (on_lost_) on_lost_(why);
}

Result<std::int64_t> EtcdSession::put(const std::string& key, const std::string& value) {
  return client_.put(key, value, lease_id_);
}

Result<std::int64_t> EtcdSession::claim(const std::string& key, const std::string& value) {
  EtcdTxn txn;
  txn.compares.push_back(EtcdCompare::is_absent(key));
  txn.then_ops.push_back(EtcdOp::put(key, value, lease_id_));
  txn.else_ops.push_back(EtcdOp::get(key));
  STRATA_TRY_ASSIGN(EtcdTxnResult result, client_.txn(txn));
  if (result.succeeded) return result.revision;
  if (result.results.empty() || result.results[0].kvs.empty()) {
    // Deleted between the compare and the get cannot happen (one revision);
    // an empty answer is etcd's bug, reported as such.
    return internal_error("etcd claim " + key + ": compare failed but the key is absent");
  }
  const EtcdKeyValue& holder = result.results[0].kvs[0];
  if (holder.lease == lease_id_) return holder.create_revision;  // ours: a retried claim
  return already_exists_error("etcd claim " + key + ": held by lease " +
                              std::to_string(holder.lease) + " since revision " +
                              std::to_string(holder.create_revision) + ", value '" +
                              holder.value + "'");
}

}  // namespace strata::replication
