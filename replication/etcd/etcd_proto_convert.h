#pragma once

#include "etcd/kv.pb.h"
#include "etcd/rpc.pb.h"
#include "replication/etcd/etcd_types.h"

// Conversions between the client's values (etcd_types.h) and etcd's
// generated messages. Internal to replication/etcd: no other folder sees an
// etcd .proto type.
namespace strata::replication {

EtcdKeyValue from_proto(const mvccpb::KeyValue& kv);
EtcdEvent from_proto(const mvccpb::Event& event);
EtcdTxnResult from_proto(const etcdserverpb::TxnResponse& response);

etcdserverpb::RangeRequest range_request(const std::string& key, bool prefix);
etcdserverpb::DeleteRangeRequest delete_request(const std::string& key, bool prefix);
etcdserverpb::TxnRequest to_proto(const EtcdTxn& txn);

}  // namespace strata::replication
