#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "replication/etcd/etcd_client_options.h"
#include "replication/etcd/etcd_types.h"

namespace strata::replication {

class EtcdConnection;

// A client of etcd's v3 gRPC API (KV, Txn, Lease) over several endpoints:
// each call goes to the current endpoint and, when that one does not answer,
// to the next, with doubling backoff after every endpoint failed once, all
// within the call's deadline (EtcdClientOptions::call_timeout).
//
// Threads: every call blocks the calling thread until etcd answers or the
// deadline passes, so never call it from a reactor or a gRPC completion
// thread (style: no etcd call on a network thread). Thread-safe: any number
// of threads may call at once. Watches (EtcdWatcher) and lease keepers
// (EtcdSession) borrow the client, which must outlive them.
//
// Errors, common to every call: unavailable = no endpoint answered ("etcd
// put /k: unreachable, no endpoint answered within 5000 ms (...)"; safe to
// retry); timed_out = a write got no answer in time and may or may not have
// been applied; invalid_argument = etcd refused the request. A failed Txn
// compare is not an error (EtcdTxnResult::succeeded is false).
class EtcdClient {
 public:
  // Parses options.endpoints and creates the channels; connects lazily, so a
  // client is made while etcd is still down. Errors: invalid_argument for a
  // malformed endpoint list.
  static Result<std::unique_ptr<EtcdClient>> create(const EtcdClientOptions& options);
  ~EtcdClient();
  EtcdClient(const EtcdClient&) = delete;
  EtcdClient& operator=(const EtcdClient&) = delete;

  // The key, or nullopt when absent; as of `at_revision` unless 0 (newest).
  // Errors: out_of_range when `at_revision` is compacted or in the future.
  Result<std::optional<EtcdKeyValue>> get(const std::string& key, std::int64_t at_revision = 0);
  // Every key starting with `prefix`, in key order, and the revision read at.
  Result<EtcdRange> get_prefix(const std::string& prefix);
  // Writes the key (attached to `lease` unless 0); returns the revision of
  // the write. Errors: not_found when the lease does not exist (expired).
  Result<std::int64_t> put(const std::string& key, const std::string& value,
                           std::int64_t lease = 0);
  // Deletes the key / every key with the prefix; returns how many existed.
  Result<std::int64_t> erase(const std::string& key);
  Result<std::int64_t> erase_prefix(const std::string& prefix);
  // Runs the transaction (see EtcdTxn).
  Result<EtcdTxnResult> txn(const EtcdTxn& txn);
  // Like txn(), but a failed compare is an error: stale_epoch, "etcd <what>:
  // compare failed at revision R": the caller's view of the keys is out of
  // date; re-read them and decide again.
  Result<EtcdTxnResult> txn_or_fail(std::string_view what, const EtcdTxn& txn);
  // Discards the history before `revision` (watches from older revisions
  // then report out_of_range). Errors: out_of_range when already compacted.
  Status compact(std::int64_t revision);

  // Creates a lease of `ttl` (etcd raises it to its minimum, ~2 s).
  Result<EtcdLease> lease_grant(std::chrono::seconds ttl);
  // Renews the lease once, bounded by `budget` (call_timeout when zero);
  // returns its TTL in seconds. Errors: not_found when the lease expired or
  // was revoked.
  Result<std::int64_t> lease_keep_alive_once(std::int64_t lease,
                                             std::chrono::milliseconds budget =
                                                 std::chrono::milliseconds(0));
  // Ends the lease, deleting its keys. Errors: not_found when it is gone.
  Status lease_revoke(std::int64_t lease);

  // False from the first unreachable answer until the next success: what the
  // broker's readiness check reports.
  bool is_reachable() const;
  // The endpoints, "http://a:1, http://b:2".
  std::string endpoint_list() const;

  // For EtcdWatcher and EtcdSession (same folder): the channels.
  EtcdConnection& connection() { return *connection_; }

 private:
  explicit EtcdClient(std::unique_ptr<EtcdConnection> connection);

  std::unique_ptr<EtcdConnection> connection_;
};

}  // namespace strata::replication
