#include "replication/etcd/etcd_client.h"

#include <utility>

#include "etcd/rpc.grpc.pb.h"
#include "replication/etcd/etcd_connection.h"
#include "replication/etcd/etcd_proto_convert.h"

namespace strata::replication {
namespace {

using Deadline = EtcdConnection::Deadline;
using Retry = EtcdConnection::Retry;

// A unary call of `Stub` on one channel: (stub, context, request, response).
template <typename Service, typename Request, typename Response, typename Method>
EtcdConnection::Attempt unary(const Request& request, Response& response, Method method) {
  return [&request, &response, method](const std::shared_ptr<grpc::Channel>& channel,
                                       Deadline deadline) {
    // Stubs are cheap: a new one per attempt follows the endpoint in use.
    auto stub = Service::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(deadline);
    return ((*stub).*method)(&context, request, &response);
  };
}

}  // namespace

Result<std::unique_ptr<EtcdClient>> EtcdClient::create(const EtcdClientOptions& options) {
  STRATA_TRY_ASSIGN(std::vector<EtcdEndpoint> endpoints, parse_etcd_endpoints(options.endpoints));
  return std::unique_ptr<EtcdClient>(
      new EtcdClient(std::make_unique<EtcdConnection>(std::move(endpoints), options)));
}

EtcdClient::EtcdClient(std::unique_ptr<EtcdConnection> connection)
    : connection_(std::move(connection)) {}

EtcdClient::~EtcdClient() = default;

Result<std::optional<EtcdKeyValue>> EtcdClient::get(const std::string& key,
                                                    std::int64_t at_revision) {
  etcdserverpb::RangeRequest request = range_request(key, false);
  request.set_revision(at_revision);
  etcdserverpb::RangeResponse response;
  STRATA_TRY(connection_->call("get " + key, Retry::read,
                               unary<etcdserverpb::KV>(request, response,
                                                       &etcdserverpb::KV::Stub::Range)));
  if (response.kvs_size() == 0) return std::optional<EtcdKeyValue>();
  return std::optional<EtcdKeyValue>(from_proto(response.kvs(0)));
}

Result<EtcdRange> EtcdClient::get_prefix(const std::string& prefix) {
  const etcdserverpb::RangeRequest request = range_request(prefix, true);
  etcdserverpb::RangeResponse response;
  STRATA_TRY(connection_->call("get prefix " + prefix, Retry::read,
                               unary<etcdserverpb::KV>(request, response,
                                                       &etcdserverpb::KV::Stub::Range)));
  EtcdRange out;
  out.revision = response.header().revision();
  for (const mvccpb::KeyValue& kv : response.kvs()) out.kvs.push_back(from_proto(kv));
  return out;
}

Result<std::int64_t> EtcdClient::put(const std::string& key, const std::string& value,
                                     std::int64_t lease) {
  etcdserverpb::PutRequest request;
  request.set_key(key);
  request.set_value(value);
  request.set_lease(lease);
  etcdserverpb::PutResponse response;
  STRATA_TRY(connection_->call("put " + key, Retry::write,
                               unary<etcdserverpb::KV>(request, response,
                                                       &etcdserverpb::KV::Stub::Put)));
  return response.header().revision();
}

Result<std::int64_t> EtcdClient::erase(const std::string& key) {
  const etcdserverpb::DeleteRangeRequest request = delete_request(key, false);
  etcdserverpb::DeleteRangeResponse response;
  STRATA_TRY(connection_->call("delete " + key, Retry::write,
                               unary<etcdserverpb::KV>(request, response,
                                                       &etcdserverpb::KV::Stub::DeleteRange)));
  return response.deleted();
}

Result<std::int64_t> EtcdClient::erase_prefix(const std::string& prefix) {
  const etcdserverpb::DeleteRangeRequest request = delete_request(prefix, true);
  etcdserverpb::DeleteRangeResponse response;
  STRATA_TRY(connection_->call("delete prefix " + prefix, Retry::write,
                               unary<etcdserverpb::KV>(request, response,
                                                       &etcdserverpb::KV::Stub::DeleteRange)));
  return response.deleted();
}

Result<EtcdTxnResult> EtcdClient::txn(const EtcdTxn& txn) {
  const etcdserverpb::TxnRequest request = to_proto(txn);
  etcdserverpb::TxnResponse response;
  const std::string what = txn.compares.empty() ? "txn" : "txn on " + txn.compares.front().key;
  STRATA_TRY(connection_->call(what, Retry::write,
                               unary<etcdserverpb::KV>(request, response,
                                                       &etcdserverpb::KV::Stub::Txn)));
  return from_proto(response);
}

Result<EtcdTxnResult> EtcdClient::txn_or_fail(std::string_view what, const EtcdTxn& request) {
  STRATA_TRY_ASSIGN(EtcdTxnResult result, txn(request));
  if (!result.succeeded) {
    return Status(ErrorCode::stale_epoch, "etcd " + std::string(what) +
                                              ": compare failed at revision " +
                                              std::to_string(result.revision) +
                                              " (the keys changed since they were read)");
  }
  return result;
}

Status EtcdClient::compact(std::int64_t revision) {
  etcdserverpb::CompactionRequest request;
  request.set_revision(revision);
  request.set_physical(true);
  etcdserverpb::CompactionResponse response;
  return connection_->call("compact to revision " + std::to_string(revision), Retry::write,
                           unary<etcdserverpb::KV>(request, response,
                                                   &etcdserverpb::KV::Stub::Compact));
}

Result<EtcdLease> EtcdClient::lease_grant(std::chrono::seconds ttl) {
  etcdserverpb::LeaseGrantRequest request;
  request.set_ttl(ttl.count());
  etcdserverpb::LeaseGrantResponse response;
  STRATA_TRY(connection_->call("lease grant", Retry::write,
                               unary<etcdserverpb::Lease>(request, response,
                                                          &etcdserverpb::Lease::Stub::LeaseGrant)));
  if (!response.error().empty()) {
    return Status(ErrorCode::unavailable, "etcd lease grant: " + response.error());
  }
  return EtcdLease{response.id(), response.ttl()};
}

Result<std::int64_t> EtcdClient::lease_keep_alive_once(std::int64_t lease,
                                                       std::chrono::milliseconds budget) {
  etcdserverpb::LeaseKeepAliveResponse response;
  // etcd renews only over the stream: one short stream per renewal keeps
  // every renewal bounded by its own deadline.
  const auto attempt = [lease, &response](const std::shared_ptr<grpc::Channel>& channel,
                                          Deadline deadline) {
    auto stub = etcdserverpb::Lease::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(deadline);
    auto stream = stub->LeaseKeepAlive(&context);
    etcdserverpb::LeaseKeepAliveRequest request;
    request.set_id(lease);
    const bool exchanged = stream->Write(request) && stream->Read(&response);
    if (exchanged) {
      stream->WritesDone();
      context.TryCancel();  // the answer is in; do not wait for the server's end
      static_cast<void>(stream->Finish());
      return grpc::Status::OK;
    }
    grpc::Status status = stream->Finish();
    if (status.ok()) status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "keep-alive stream closed");
    return status;
  };
  STRATA_TRY(connection_->call("lease keep-alive " + std::to_string(lease), Retry::read, attempt,
                               budget));
  if (response.ttl() <= 0) {
    return not_found_error("etcd lease " + std::to_string(lease) + ": expired or revoked");
  }
  return response.ttl();
}

Status EtcdClient::lease_revoke(std::int64_t lease) {
  etcdserverpb::LeaseRevokeRequest request;
  request.set_id(lease);
  etcdserverpb::LeaseRevokeResponse response;
  return connection_->call("lease revoke " + std::to_string(lease), Retry::write,
                           unary<etcdserverpb::Lease>(request, response,
                                                      &etcdserverpb::Lease::Stub::LeaseRevoke));
}

bool EtcdClient::is_reachable() const { return connection_->is_reachable(); }

std::string EtcdClient::endpoint_list() const { return connection_->endpoint_list(); }

}  // namespace strata::replication
