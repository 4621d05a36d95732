#include "replication/etcd/etcd_proto_convert.h"

namespace strata::replication {
namespace {

etcdserverpb::Compare to_proto(const EtcdCompare& c) {
  etcdserverpb::Compare out;
  out.set_key(c.key);
  switch (c.relation) {
    case EtcdCompare::Relation::equal: out.set_result(etcdserverpb::Compare::EQUAL); break;
    case EtcdCompare::Relation::not_equal: out.set_result(etcdserverpb::Compare::NOT_EQUAL); break;
    case EtcdCompare::Relation::greater: out.set_result(etcdserverpb::Compare::GREATER); break;
    case EtcdCompare::Relation::less: out.set_result(etcdserverpb::Compare::LESS); break;
  }
  switch (c.target) {
    case EtcdCompare::Target::version:
      out.set_target(etcdserverpb::Compare::VERSION);
      out.set_version(c.number);
      break;
    case EtcdCompare::Target::create_revision:
      out.set_target(etcdserverpb::Compare::CREATE);
      out.set_create_revision(c.number);
      break;
    case EtcdCompare::Target::mod_revision:
      out.set_target(etcdserverpb::Compare::MOD);
      out.set_mod_revision(c.number);
      break;
    case EtcdCompare::Target::value:
      out.set_target(etcdserverpb::Compare::VALUE);
      out.set_value(c.value);
      break;
  }
  return out;
}

etcdserverpb::RequestOp to_proto(const EtcdOp& op) {
  etcdserverpb::RequestOp out;
  switch (op.kind) {
    case EtcdOp::Kind::get:
      *out.mutable_request_range() = range_request(op.key, false);
      break;
    case EtcdOp::Kind::get_prefix:
      *out.mutable_request_range() = range_request(op.key, true);
      break;
    case EtcdOp::Kind::put: {
      etcdserverpb::PutRequest* put = out.mutable_request_put();
      put->set_key(op.key);
      put->set_value(op.value);
      put->set_lease(op.lease);
      break;
    }
    case EtcdOp::Kind::erase:
      *out.mutable_request_delete_range() = delete_request(op.key, false);
      break;
    case EtcdOp::Kind::erase_prefix:
      *out.mutable_request_delete_range() = delete_request(op.key, true);
      break;
  }
  return out;
}

}  // namespace

EtcdKeyValue from_proto(const mvccpb::KeyValue& kv) {
  EtcdKeyValue out;
  out.key = kv.key();
  out.value = kv.value();
  out.create_revision = kv.create_revision();
  out.mod_revision = kv.mod_revision();
  out.version = kv.version();
  out.lease = kv.lease();
  return out;
}

EtcdEvent from_proto(const mvccpb::Event& event) {
  EtcdEvent out;
  out.type = event.type() == mvccpb::Event::DELETE ? EtcdEvent::Type::erase : EtcdEvent::Type::put;
  out.kv = from_proto(event.kv());
  return out;
}

EtcdTxnResult from_proto(const etcdserverpb::TxnResponse& response) {
  EtcdTxnResult out;
  out.succeeded = response.succeeded();
  out.revision = response.header().revision();
  for (const etcdserverpb::ResponseOp& r : response.responses()) {
    EtcdOpResult result;
    if (r.has_response_range()) {
      for (const mvccpb::KeyValue& kv : r.response_range().kvs()) result.kvs.push_back(from_proto(kv));
    } else if (r.has_response_delete_range()) {
      result.deleted = r.response_delete_range().deleted();
    }
    out.results.push_back(std::move(result));
  }
  return out;
}

etcdserverpb::RangeRequest range_request(const std::string& key, bool prefix) {
  etcdserverpb::RangeRequest out;
  out.set_key(key);
  if (prefix) out.set_range_end(etcd_prefix_end(key));
  return out;
}

etcdserverpb::DeleteRangeRequest delete_request(const std::string& key, bool prefix) {
  etcdserverpb::DeleteRangeRequest out;
  out.set_key(key);
  if (prefix) out.set_range_end(etcd_prefix_end(key));
  return out;
}

etcdserverpb::TxnRequest to_proto(const EtcdTxn& txn) {
  etcdserverpb::TxnRequest out;
  for (const EtcdCompare& c : txn.compares) *out.add_compare() = to_proto(c);
  for (const EtcdOp& op : txn.then_ops) *out.add_success() = to_proto(op);
  for (const EtcdOp& op : txn.else_ops) *out.add_failure() = to_proto(op);
  return out;
}

}  // namespace strata::replication
