#include "replication/etcd/etcd_metadata_store.h"

#include <charconv>
#include <utility>

#include "replication/etcd/etcd_metadata_keys.h"
#include "replication/metadata/metadata_codec.h"

namespace strata::replication {
namespace {

// Conditional writes that lose a race re-read and retry; each pass is one
// bounded etcd call, and this many passes only under heavy contention.
constexpr int kMaxCasAttempts = 64;

EtcdCompare exists(std::string key) {
  EtcdCompare c;
  c.key = std::move(key);
  c.target = EtcdCompare::Target::version;
  c.relation = EtcdCompare::Relation::greater;
  c.number = 0;
  return c;
}

Status check_topic(const TopicRecord& topic) {
  if (topic.name.empty() || topic.name.find('/') != std::string::npos) {
    return invalid_argument_error("topic name '" + topic.name + "' is empty or holds a '/'");
  }
  if (topic.topic_id.empty()) return invalid_argument_error(topic.name + ": empty topic id");
  return Status();
}

Result<Versioned<TopicRecord>> decode_topic(const EtcdKeyValue& kv) {
  STRATA_TRY_ASSIGN(TopicRecord record, decode_topic_record(kv.value, kv.key));
  return Versioned<TopicRecord>{std::move(record), MetadataVersion(kv.mod_revision)};
}

Result<Versioned<PartitionState>> decode_state(const EtcdKeyValue& kv) {
  STRATA_TRY_ASSIGN(PartitionState state, decode_partition_state(kv.value, kv.key));
  return Versioned<PartitionState>{std::move(state), MetadataVersion(kv.mod_revision)};
}

// "<name>/<index>" after the partition prefix, or nullopt for another key.
std::optional<TopicPartition> parse_partition_key(std::string_view rest) {
  const std::size_t slash = rest.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  const std::string_view digits = rest.substr(slash + 1);
  std::int32_t index = -1;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (ec != std::errc() || end != digits.data() + digits.size() || index < 0) return std::nullopt;
  return TopicPartition{std::string(rest.substr(0, slash)), PartitionId(index)};
}

}  // namespace

EtcdMetadataStore::EtcdMetadataStore(EtcdClient& client, EtcdMetadataStoreOptions options)
    : client_(client), root_(std::move(options.key_prefix)) {}

EtcdMetadataStore::~EtcdMetadataStore() {
  std::map<WatchId, std::unique_ptr<EtcdWatcher>> watches;
  std::vector<std::unique_ptr<EtcdWatcher>> retired;
  {
    std::lock_guard lock(mu_);
    watches.swap(watches_);
    retired.swap(retired_);
  }
  // Destroyed outside mu_: a stopping watcher may be in a callback that calls us.
}

Result<std::string> EtcdMetadataStore::init_cluster_id(const std::string& proposed) {
  if (proposed.empty()) return invalid_argument_error("cluster id: empty");
  const std::string key = etcd_keys::cluster_id(root_);
  EtcdTxn txn;
  txn.compares.push_back(EtcdCompare::is_absent(key));
  txn.then_ops.push_back(EtcdOp::put(key, proposed));
  txn.else_ops.push_back(EtcdOp::get(key));
  STRATA_TRY_ASSIGN(EtcdTxnResult result, client_.txn(txn));
  if (result.succeeded) return proposed;
  if (result.results.empty() || result.results[0].kvs.empty()) {
    return internal_error("etcd " + key + ": compare failed but the key is absent");
  }
  return result.results[0].kvs[0].value;  // the id another broker stored first
}

Result<std::optional<std::string>> EtcdMetadataStore::cluster_id() {
  STRATA_TRY_ASSIGN(auto kv, client_.get(etcd_keys::cluster_id(root_)));
  if (!kv) return std::optional<std::string>();
  return std::optional<std::string>(kv->value);
}

Result<MetadataSnapshot> EtcdMetadataStore::snapshot() {
  const std::string topics = etcd_keys::topic_prefix(root_);
  const std::string partitions = etcd_keys::partition_prefix(root_);
  EtcdTxn txn;  // no compares: both reads at one revision
  txn.then_ops.push_back(EtcdOp::get_prefix(topics));
  txn.then_ops.push_back(EtcdOp::get_prefix(partitions));
  STRATA_TRY_ASSIGN(EtcdTxnResult result, client_.txn(txn));
  if (result.results.size() != 2) return internal_error("etcd snapshot: expected two answers");
  MetadataSnapshot out;
  out.revision = MetadataVersion(result.revision);
  for (const EtcdKeyValue& kv : result.results[0].kvs) {
    STRATA_TRY_ASSIGN(Versioned<TopicRecord> topic, decode_topic(kv));
    out.topics.emplace(topic.value.name, std::move(topic));
  }
  for (const EtcdKeyValue& kv : result.results[1].kvs) {
    const auto tp = parse_partition_key(std::string_view(kv.key).substr(partitions.size()));
    if (!tp) return corruption_error("etcd " + kv.key + ": not a partition key");
    STRATA_TRY_ASSIGN(Versioned<PartitionState> state, decode_state(kv));
    out.partitions.emplace(*tp, std::move(state));
  }
  return out;
}

Result<std::optional<Versioned<TopicRecord>>> EtcdMetadataStore::get_topic(
    const std::string& name) {
  STRATA_TRY_ASSIGN(auto kv, client_.get(etcd_keys::topic(root_, name)));
  if (!kv) return std::optional<Versioned<TopicRecord>>();
  STRATA_TRY_ASSIGN(Versioned<TopicRecord> topic, decode_topic(*kv));
  return std::optional<Versioned<TopicRecord>>(std::move(topic));
}

Result<std::optional<Versioned<PartitionState>>> EtcdMetadataStore::get_partition_state(
    const TopicPartition& partition) {
  STRATA_TRY_ASSIGN(auto kv, client_.get(etcd_keys::partition(root_, partition.topic,
                                                              partition.partition.value())));
  if (!kv) return std::optional<Versioned<PartitionState>>();
  STRATA_TRY_ASSIGN(Versioned<PartitionState> state, decode_state(*kv));
  return std::optional<Versioned<PartitionState>>(std::move(state));
}

Result<MetadataVersion> EtcdMetadataStore::create_topic(
    const TopicRecord& topic, const std::vector<PartitionState>& partitions) {
  STRATA_TRY(check_topic(topic));
  if (topic.partition_count < 1 ||
      partitions.size() != static_cast<std::size_t>(topic.partition_count)) {
    return invalid_argument_error(topic.name + ": " + std::to_string(partitions.size()) +
                                  " partition states for a partition count of " +
                                  std::to_string(topic.partition_count));
  }
  const std::string key = etcd_keys::topic(root_, topic.name);
  EtcdTxn txn;
  txn.compares.push_back(EtcdCompare::is_absent(key));
  txn.then_ops.push_back(EtcdOp::put(key, encode_topic_record(topic)));
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    txn.then_ops.push_back(EtcdOp::put(
        etcd_keys::partition(root_, topic.name, static_cast<std::int32_t>(i)),
        encode_partition_state(partitions[i])));
  }
  STRATA_TRY_ASSIGN(EtcdTxnResult result, client_.txn(txn));
  if (!result.succeeded) return already_exists_error("topic " + topic.name + " already exists");
  return MetadataVersion(result.revision);
}

Status EtcdMetadataStore::conflict_or_missing(const std::string& what,
                                              const EtcdTxnResult& result) const {
  if (result.results.empty() || result.results[0].kvs.empty()) {
    return not_found_error(what + ": does not exist");
  }
  return Status(kVersionConflict, what + ": changed meanwhile (now at version " +
                                      std::to_string(result.results[0].kvs[0].mod_revision) +
                                      ")");
}

Result<MetadataVersion> EtcdMetadataStore::update_topic(const TopicRecord& topic,
                                                        MetadataVersion expected,
                                                        const std::vector<PartitionState>& added) {
  STRATA_TRY(check_topic(topic));
  const std::string what = "topic " + topic.name;
  STRATA_TRY_ASSIGN(auto current, get_topic(topic.name));
  if (!current) return not_found_error(what + ": does not exist");
  if (current->version != expected) {
    return Status(kVersionConflict, what + ": changed meanwhile (now at version " +
                                        std::to_string(current->version.value()) + ")");
  }
  const TopicRecord& old = current->value;
  if (topic.topic_id != old.topic_id) return invalid_argument_error(what + ": topic id changed");
  if (topic.partition_count < old.partition_count ||
      added.size() != static_cast<std::size_t>(topic.partition_count - old.partition_count)) {
    return invalid_argument_error(what + ": from " + std::to_string(old.partition_count) +
                                  " to " + std::to_string(topic.partition_count) +
                                  " partitions with " + std::to_string(added.size()) +
                                  " new states");
  }
  const std::string key = etcd_keys::topic(root_, topic.name);
  EtcdTxn txn;
  txn.compares.push_back(EtcdCompare::mod_revision_is(key, expected.value()));
  txn.then_ops.push_back(EtcdOp::put(key, encode_topic_record(topic)));
  for (std::size_t i = 0; i < added.size(); ++i) {
    const auto index = static_cast<std::int32_t>(static_cast<std::size_t>(old.partition_count) + i);
    txn.then_ops.push_back(EtcdOp::put(etcd_keys::partition(root_, topic.name, index),
                                       encode_partition_state(added[i])));
  }
  txn.else_ops.push_back(EtcdOp::get(key));
  STRATA_TRY_ASSIGN(EtcdTxnResult result, client_.txn(txn));
  if (!result.succeeded) return conflict_or_missing(what, result);
  return MetadataVersion(result.revision);
}

Result<MetadataVersion> EtcdMetadataStore::delete_topic(const std::string& name,
                                                        std::optional<MetadataVersion> expected) {
  const std::string key = etcd_keys::topic(root_, name);
  EtcdTxn txn;
  txn.compares.push_back(expected ? EtcdCompare::mod_revision_is(key, expected->value())
                                  : exists(key));
  // The topic before its partitions: watchers see the topic's change first.
  txn.then_ops.push_back(EtcdOp::erase(key));
  txn.then_ops.push_back(EtcdOp::erase_prefix(etcd_keys::partitions_of(root_, name)));
  txn.else_ops.push_back(EtcdOp::get(key));
  STRATA_TRY_ASSIGN(EtcdTxnResult result, client_.txn(txn));
  if (!result.succeeded) return conflict_or_missing("topic " + name, result);
  return MetadataVersion(result.revision);
}

Result<MetadataVersion> EtcdMetadataStore::update_partition_state(const TopicPartition& partition,
                                                                  const PartitionState& state,
                                                                  MetadataVersion expected) {
  const std::string what = "partition " + partition.to_string();
  if (expected == kAbsentVersion) return not_found_error(what + ": does not exist");
  const std::string key =
      etcd_keys::partition(root_, partition.topic, partition.partition.value());
  EtcdTxn txn;
  txn.compares.push_back(EtcdCompare::mod_revision_is(key, expected.value()));
  txn.then_ops.push_back(EtcdOp::put(key, encode_partition_state(state)));
  txn.else_ops.push_back(EtcdOp::get(key));
  STRATA_TRY_ASSIGN(EtcdTxnResult result, client_.txn(txn));
  if (!result.succeeded) return conflict_or_missing(what, result);
  return MetadataVersion(result.revision);
}

Result<ProducerIdBlock> EtcdMetadataStore::allocate_producer_ids(std::int64_t count) {
  if (count < 1) return invalid_argument_error("producer ids: count " + std::to_string(count));
  const std::string key = etcd_keys::producer_id_next(root_);
  for (int attempt = 0; attempt < kMaxCasAttempts; ++attempt) {
    STRATA_TRY_ASSIGN(auto kv, client_.get(key));
    std::int64_t next = 0;
    if (kv) {
      STRATA_TRY_ASSIGN(next, decode_counter(kv->value, key));
    }
    EtcdTxn txn;
    txn.compares.push_back(EtcdCompare::mod_revision_is(key, kv ? kv->mod_revision : 0));
    txn.then_ops.push_back(EtcdOp::put(key, encode_counter(next + count)));
    STRATA_TRY_ASSIGN(EtcdTxnResult result, client_.txn(txn));
    if (result.succeeded) return ProducerIdBlock{next, count};
  }
  return Status(kVersionConflict, "producer ids: " + std::to_string(kMaxCasAttempts) +
                                      " allocations lost their race; try again");
}

bool EtcdMetadataStore::deliver(const MetadataWatcher& watcher, const EtcdEvent& event,
                                Status& why) const {
  const std::string topics = etcd_keys::topic_prefix(root_);
  const std::string partitions = etcd_keys::partition_prefix(root_);
  const MetadataVersion revision(event.kv.mod_revision);
  const bool erased = event.type == EtcdEvent::Type::erase;
  const std::string_view key = event.kv.key;
  if (key.substr(0, topics.size()) == topics) {
    TopicChange change{std::string(key.substr(topics.size())), std::nullopt, revision};
    if (!erased) {
      auto topic = decode_topic(event.kv);
      if (!topic.ok()) return why = topic.status(), false;
      change.record = std::move(topic).value();
    }
    if (watcher.on_topic) watcher.on_topic(change);
  } else if (key.substr(0, partitions.size()) == partitions) {
    const auto tp = parse_partition_key(key.substr(partitions.size()));
    if (!tp) return why = corruption_error("etcd " + event.kv.key + ": not a partition key"), false;
    PartitionChange change{*tp, std::nullopt, revision};
    if (!erased) {
      auto state = decode_state(event.kv);
      if (!state.ok()) return why = state.status(), false;
      change.state = std::move(state).value();
    }
    if (watcher.on_partition) watcher.on_partition(change);
  }
  return true;  // the cluster id and the producer-id counter are not watched
}

Result<WatchId> EtcdMetadataStore::watch(MetadataVersion after, MetadataWatcher watcher) {
  if (after.value() > 0) {
    // A read at `after` fails when etcd compacted it: the changes after it
    // may be gone (by one revision stricter than the watch itself).
    STRATA_TRY(client_.get(etcd_keys::cluster_id(root_), after.value()).status());
  }
  WatchId id = 0;
  {
    std::lock_guard lock(mu_);
    id = next_watch_id_++;
  }
  auto shared = std::make_shared<MetadataWatcher>(std::move(watcher));
  // Once a record fails to decode, the watch delivers nothing more.
  auto broken = std::make_shared<std::atomic<bool>>(false);
  auto on_events = [this, shared, broken](const std::vector<EtcdEvent>& events) {
    for (const EtcdEvent& event : events) {
      if (broken->load()) return;
      Status why;
      if (!deliver(*shared, event, why)) {
        broken->store(true);
        if (shared->on_error) shared->on_error(why);
      }
    }
  };
  auto on_ended = [shared, broken](const Status& why) {
    if (!broken->exchange(true) && shared->on_error) shared->on_error(why);
  };
  auto etcd_watch = EtcdWatcher::start(client_, root_ + "meta/", after.value() + 1,
                                       std::move(on_events), std::move(on_ended));
  std::lock_guard lock(mu_);
  watches_.emplace(id, std::move(etcd_watch));
  return id;
}

void EtcdMetadataStore::cancel_watch(WatchId id) {
  std::unique_ptr<EtcdWatcher> watcher;
  std::vector<std::unique_ptr<EtcdWatcher>> retired;
  {
    std::lock_guard lock(mu_);
    auto it = watches_.find(id);
    if (it != watches_.end()) {
      watcher = std::move(it->second);
      watches_.erase(it);
    }
    if (!watcher || !watcher->is_own_thread()) retired.swap(retired_);
  }
  if (!watcher) return;
  watcher->stop();  // returns at once from the watch's own callback
  if (watcher->is_own_thread()) {
    std::lock_guard lock(mu_);
    retired_.push_back(std::move(watcher));
  }
  // `watcher` and `retired` are destroyed here, outside mu_.
}

}  // namespace strata::replication
