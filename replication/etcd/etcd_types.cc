#include "replication/etcd/etcd_types.h"

#include <utility>

namespace strata::replication {
namespace {

EtcdCompare number_compare(std::string key, EtcdCompare::Target target, std::int64_t number) {
  EtcdCompare c;
  c.key = std::move(key);
  c.target = target;
  c.relation = EtcdCompare::Relation::equal;
  c.number = number;
  return c;
}

EtcdOp op(EtcdOp::Kind kind, std::string key) {
  EtcdOp o;
  o.kind = kind;
  o.key = std::move(key);
  return o;
}

}  // namespace

EtcdCompare EtcdCompare::version_is(std::string key, std::int64_t version) {
  return number_compare(std::move(key), Target::version, version);
}

EtcdCompare EtcdCompare::create_revision_is(std::string key, std::int64_t revision) {
  return number_compare(std::move(key), Target::create_revision, revision);
}

EtcdCompare EtcdCompare::mod_revision_is(std::string key, std::int64_t revision) {
  return number_compare(std::move(key), Target::mod_revision, revision);
}

EtcdCompare EtcdCompare::value_is(std::string key, std::string value) {
  EtcdCompare c;
  c.key = std::move(key);
  c.target = Target::value;
  c.value = std::move(value);
  return c;
}

EtcdCompare EtcdCompare::is_absent(std::string key) {
  return create_revision_is(std::move(key), 0);
}

EtcdOp EtcdOp::get(std::string key) { return op(Kind::get, std::move(key)); }
EtcdOp EtcdOp::get_prefix(std::string prefix) { return op(Kind::get_prefix, std::move(prefix)); }
EtcdOp EtcdOp::erase(std::string key) { return op(Kind::erase, std::move(key)); }
EtcdOp EtcdOp::erase_prefix(std::string prefix) {
  return op(Kind::erase_prefix, std::move(prefix));
}

EtcdOp EtcdOp::put(std::string key, std::string value, std::int64_t lease) {
  EtcdOp o = op(Kind::put, std::move(key));
  o.value = std::move(value);
  o.lease = lease;
  return o;
}

std::string etcd_prefix_end(std::string_view prefix) {
  std::string end(prefix);
  // Drop trailing 0xff bytes (they cannot be incremented), then bump the last.
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (end.empty()) return std::string(1, '\0');
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

}  // namespace strata::replication
