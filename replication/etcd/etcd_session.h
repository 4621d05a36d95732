#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"

namespace strata::replication {

class EtcdClient;

// Settings of an EtcdSession; every field has a default.
struct EtcdSessionOptions {
  // The lease's TTL: how long after its last renewal the session's keys
  // outlive a dead holder. etcd raises a TTL below ~2 s to its minimum.
  std::chrono::seconds ttl{5};
  // How often the lease is renewed; zero = ttl / 3.
  std::chrono::milliseconds keep_alive_interval{0};
};

// One etcd lease kept alive for as long as its holder lives: a broker's
// membership, a controller's term. Keys written through the session
// (put(), claim()) disappear when the lease ends, so a holder that dies (or
// stops renewing) is dead to the cluster after one TTL.
//
// Loss: the session counts its lease lost when etcd says it expired, or when
// no renewal was answered for a whole TTL since the last answered one (it
// then must assume etcd let it expire: a holder that acts on it after that,
// say a deposed controller, could act beside its successor). On loss it
// calls `on_lost` once and stops renewing; it never takes a new lease by
// itself: the holder decides (stop acting at once, then start a new session).
//
// Threads: renewal runs on the session's own thread, and so does on_lost
// (which must not destroy the session). put(), claim() and close() block
// the calling thread like any EtcdClient call. The EtcdClient must outlive
// the session.
class EtcdSession {
 public:
  using LostCallback = std::function<void(const Status& why)>;

  // Grants the lease and starts renewing it. Errors: those of
  // EtcdClient::lease_grant (unavailable while etcd is unreachable).
  static Result<std::unique_ptr<EtcdSession>> start(EtcdClient& client,
                                                    const EtcdSessionOptions& options,
                                                    LostCallback on_lost);
  // close(). Requires: not called from on_lost.
  ~EtcdSession();
  EtcdSession(const EtcdSession&) = delete;
  EtcdSession& operator=(const EtcdSession&) = delete;

  std::int64_t lease_id() const { return lease_id_; }
  std::int64_t ttl_seconds() const { return ttl_seconds_; }
  // False once the lease is lost or closed.
  bool is_alive() const { return alive_.load(); }

  // Writes `key` under the session's lease; returns the revision.
  // Errors: not_found when the lease is gone, and EtcdClient::put's.
  Result<std::int64_t> put(const std::string& key, const std::string& value);
  // Creates `key` under the session's lease only if no one holds it
  // (create_revision == 0): the rule "one live holder per key", e.g. one
  // broker per node id. Returns the revision of the creation. Claiming a key
  // this session already holds succeeds (a retried claim). Errors:
  // already_exists when another lease holds it ("etcd claim <key>: held by
  // lease <id> since revision <r>, value '<value>'"), not_found when this
  // session's lease is gone, and EtcdClient::txn's.
  Result<std::int64_t> claim(const std::string& key, const std::string& value);

  // Stops renewing and revokes the lease (its keys go at once); best effort
  // within the client's call timeout. Waits for a renewal in flight (bounded
  // by its deadline). on_lost is not called. Idempotent.
  void close();

 private:
  EtcdSession(EtcdClient& client, const EtcdSessionOptions& options, std::int64_t lease_id,
              std::int64_t ttl_seconds, LostCallback on_lost);
  void run();
  void stop_thread();

  EtcdClient& client_;
  const std::int64_t lease_id_;
  const std::int64_t ttl_seconds_;
  const std::chrono::milliseconds interval_;
  const LostCallback on_lost_;
  std::atomic<bool> alive_{true};
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace strata::replication
