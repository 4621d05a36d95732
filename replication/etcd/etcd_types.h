#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The values the etcd client speaks in, free of generated protobuf types so
// that callers (the metadata store, the controller) never see etcd's .proto.
// Revisions are etcd's store revisions: every write bumps the one counter of
// the whole store, and a key remembers the revision it was created and last
// modified at.
namespace strata::replication {

// One key as stored in etcd.
struct EtcdKeyValue {
  std::string key;
  std::string value;
  std::int64_t create_revision = 0;  // 0 never appears in a read: the key exists
  std::int64_t mod_revision = 0;
  std::int64_t version = 0;  // writes since creation, 1 after the first
  std::int64_t lease = 0;    // 0 = not attached to a lease

  bool operator==(const EtcdKeyValue&) const = default;
};

// The keys of a read and the store revision they were read at; a watch from
// revision + 1 sees every later change.
struct EtcdRange {
  std::vector<EtcdKeyValue> kvs;
  std::int64_t revision = 0;
};

// One change of a key seen by a watch. For a delete, kv has only key and
// mod_revision (the revision of the delete) set.
struct EtcdEvent {
  enum class Type { put, erase };
  Type type = Type::put;
  EtcdKeyValue kv;
};

// One condition of a transaction. Built with the factories, which read as the
// condition: EtcdCompare::mod_revision_is("/k", 12). A key that does not exist
// has create_revision, mod_revision and version 0.
struct EtcdCompare {
  enum class Target { version, create_revision, mod_revision, value };
  enum class Relation { equal, not_equal, greater, less };

  std::string key;
  Target target = Target::version;
  Relation relation = Relation::equal;
  std::int64_t number = 0;  // for version and the revisions
  std::string value;        // for Target::value

  static EtcdCompare version_is(std::string key, std::int64_t version);
  static EtcdCompare create_revision_is(std::string key, std::int64_t revision);
  static EtcdCompare mod_revision_is(std::string key, std::int64_t revision);
  static EtcdCompare value_is(std::string key, std::string value);
  // create_revision == 0.
  static EtcdCompare is_absent(std::string key);
};

// One operation of a transaction branch.
struct EtcdOp {
  enum class Kind { get, get_prefix, put, erase, erase_prefix };

  Kind kind = Kind::get;
  std::string key;  // the key, or the prefix for *_prefix
  std::string value;
  std::int64_t lease = 0;  // put only; 0 = none

  static EtcdOp get(std::string key);
  static EtcdOp get_prefix(std::string prefix);
  static EtcdOp put(std::string key, std::string value, std::int64_t lease = 0);
  static EtcdOp erase(std::string key);
  static EtcdOp erase_prefix(std::string prefix);
};

// An atomic if-then-else: when every compare holds, the `then_ops` run,
// otherwise the `else_ops`, all at one revision.
struct EtcdTxn {
  std::vector<EtcdCompare> compares;
  std::vector<EtcdOp> then_ops;
  std::vector<EtcdOp> else_ops;
};

// What one operation of the branch that ran returned: the keys for a get,
// the count for an erase, nothing for a put.
struct EtcdOpResult {
  std::vector<EtcdKeyValue> kvs;
  std::int64_t deleted = 0;
};

// The outcome of a transaction. A failed compare is an outcome, not an
// error: `succeeded` is false and `results` answer the else_ops.
struct EtcdTxnResult {
  bool succeeded = false;
  std::int64_t revision = 0;  // the store revision after the transaction
  std::vector<EtcdOpResult> results;
};

// A granted lease.
struct EtcdLease {
  std::int64_t id = 0;
  std::int64_t ttl_seconds = 0;  // as granted (etcd raises a TTL below its minimum)
};

// The end of the key range that holds every key starting with `prefix`
// (etcd's range_end): the prefix with its last byte plus one, carrying over
// 0xff bytes; "\0" (every key) for an empty prefix or one of only 0xff bytes.
std::string etcd_prefix_end(std::string_view prefix);

}  // namespace strata::replication
