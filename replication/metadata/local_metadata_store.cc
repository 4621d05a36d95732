#include "replication/metadata/local_metadata_store.h"

#include <charconv>

#include "replication/metadata/local_metadata_keys.h"
#include "replication/metadata/local_metadata_migration.h"
#include "replication/metadata/metadata_codec.h"
#include "storage/kv_store.h"

namespace strata::replication {
namespace {

// A stored record is "<version> <encoded record>".
std::string envelope(MetadataVersion version, const std::string& encoded) {
  return std::to_string(version.value()) + " " + encoded;
}

Result<std::pair<MetadataVersion, std::string_view>> open_envelope(std::string_view text,
                                                                   std::string_view key) {
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos) {
    return corruption_error(std::string(key) + ": no version before the record");
  }
  STRATA_TRY_ASSIGN(std::int64_t version, decode_counter(text.substr(0, space), key));
  return std::pair{MetadataVersion(version), text.substr(space + 1)};
}

Result<Versioned<TopicRecord>> decode_stored_topic(std::string_view text, std::string_view key) {
  STRATA_TRY_ASSIGN(auto parts, open_envelope(text, key));
  STRATA_TRY_ASSIGN(TopicRecord topic, decode_topic_record(parts.second, key));
  return Versioned<TopicRecord>{std::move(topic), parts.first};
}

Result<Versioned<PartitionState>> decode_stored_partition(std::string_view text,
                                                          std::string_view key) {
  STRATA_TRY_ASSIGN(auto parts, open_envelope(text, key));
  STRATA_TRY_ASSIGN(PartitionState state, decode_partition_state(parts.second, key));
  return Versioned<PartitionState>{std::move(state), parts.first};
}

// The partition index at the end of a "meta/partitions/<name>/<index>" key.
Result<std::int32_t> partition_index(std::string_view key, std::size_t prefix_size) {
  const std::string_view digits = key.substr(prefix_size);
  std::int32_t index = -1;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || index < 0) {
    return corruption_error(std::string(key) + ": not a partition key");
  }
  return index;
}

Status check_record(const TopicRecord& topic) {
  if (topic.name.empty() || topic.name.find('/') != std::string::npos) {
    return invalid_argument_error("topic '" + topic.name + "': not a storable topic name");
  }
  if (topic.topic_id.empty()) {
    return invalid_argument_error("topic " + topic.name + ": no topic id");
  }
  if (topic.partition_count < 1) {
    return invalid_argument_error("topic " + topic.name + ": partition count below 1");
  }
  return Status::ok_status();
}

Status conflict(const std::string& subject, MetadataVersion expected, MetadataVersion actual) {
  return Status(kVersionConflict, subject + ": version is " + std::to_string(actual.value()) +
                                      ", not the " + std::to_string(expected.value()) +
                                      " the update was based on");
}

}  // namespace

Result<std::unique_ptr<LocalMetadataStore>> LocalMetadataStore::open(
    storage::KvStore& kv, LocalMetadataStoreOptions options) {
  STRATA_TRY(migrate_legacy_metadata(kv, options.local_broker));
  STRATA_TRY_ASSIGN(std::optional<std::string> stored, kv.get(local_keys::kRevision));
  std::int64_t revision = 0;
  if (stored) {
    STRATA_TRY_ASSIGN(revision, decode_counter(*stored, local_keys::kRevision));
  }
  return std::unique_ptr<LocalMetadataStore>(new LocalMetadataStore(kv, MetadataVersion(revision)));
}

LocalMetadataStore::LocalMetadataStore(storage::KvStore& kv, MetadataVersion revision)
    : kv_(kv), revision_(revision) {}

LocalMetadataStore::~LocalMetadataStore() = default;

MetadataVersion LocalMetadataStore::revision() const {
  std::lock_guard lock(mu_);
  return revision_;
}

Result<std::string> LocalMetadataStore::init_cluster_id(const std::string& proposed) {
  if (proposed.empty()) return invalid_argument_error("cluster id: empty");
  std::lock_guard lock(mu_);
  STRATA_TRY_ASSIGN(std::optional<std::string> stored, kv_.get(local_keys::kClusterId));
  if (stored) return *stored;
  STRATA_TRY(kv_.put(local_keys::kClusterId, proposed));
  return proposed;
}

Result<std::optional<std::string>> LocalMetadataStore::cluster_id() {
  return kv_.get(local_keys::kClusterId);
}

Result<MetadataSnapshot> LocalMetadataStore::snapshot() {
  std::lock_guard lock(mu_);
  MetadataSnapshot out;
  out.revision = revision_;
  STRATA_TRY_ASSIGN(std::vector<storage::KvPair> topics, kv_.scan_prefix(local_keys::kTopicPrefix));
  for (const storage::KvPair& pair : topics) {
    STRATA_TRY_ASSIGN(Versioned<TopicRecord> topic, decode_stored_topic(pair.value, pair.key));
    const std::string name = topic.value.name;
    STRATA_TRY_ASSIGN(auto partitions, read_partitions_locked(name));
    for (auto& [index, state] : partitions) {
      out.partitions.emplace(TopicPartition{name, PartitionId(index)}, std::move(state));
    }
    out.topics.emplace(name, std::move(topic));
  }
  return out;
}

Result<std::optional<Versioned<TopicRecord>>> LocalMetadataStore::get_topic(
    const std::string& name) {
  std::lock_guard lock(mu_);
  return read_topic_locked(name);
}

Result<std::optional<Versioned<PartitionState>>> LocalMetadataStore::get_partition_state(
    const TopicPartition& partition) {
  const std::string key = local_keys::partition(partition.topic, partition.partition.value());
  std::lock_guard lock(mu_);
  STRATA_TRY_ASSIGN(std::optional<std::string> stored, kv_.get(key));
  if (!stored) return std::optional<Versioned<PartitionState>>();
  STRATA_TRY_ASSIGN(Versioned<PartitionState> state, decode_stored_partition(*stored, key));
  return std::optional<Versioned<PartitionState>>(std::move(state));
}

Result<std::optional<Versioned<TopicRecord>>> LocalMetadataStore::read_topic_locked(
    const std::string& name) const {
  const std::string key = local_keys::topic(name);
  STRATA_TRY_ASSIGN(std::optional<std::string> stored, kv_.get(key));
  if (!stored) return std::optional<Versioned<TopicRecord>>();
  STRATA_TRY_ASSIGN(Versioned<TopicRecord> topic, decode_stored_topic(*stored, key));
  return std::optional<Versioned<TopicRecord>>(std::move(topic));
}

Result<std::map<std::int32_t, Versioned<PartitionState>>>
LocalMetadataStore::read_partitions_locked(const std::string& name) const {
  const std::string prefix = local_keys::partitions_of(name);
  STRATA_TRY_ASSIGN(std::vector<storage::KvPair> pairs, kv_.scan_prefix(prefix));
  std::map<std::int32_t, Versioned<PartitionState>> out;
  for (const storage::KvPair& pair : pairs) {
    STRATA_TRY_ASSIGN(std::int32_t index, partition_index(pair.key, prefix.size()));
    STRATA_TRY_ASSIGN(Versioned<PartitionState> state,
                      decode_stored_partition(pair.value, pair.key));
    out.emplace(index, std::move(state));
  }
  return out;
}

Result<MetadataVersion> LocalMetadataStore::create_topic(
    const TopicRecord& topic, const std::vector<PartitionState>& partitions) {
  STRATA_TRY(check_record(topic));
  if (partitions.size() != static_cast<std::size_t>(topic.partition_count)) {
    return invalid_argument_error("topic " + topic.name + ": " + std::to_string(partitions.size()) +
                                  " partition states for " +
                                  std::to_string(topic.partition_count) + " partitions");
  }
  MetadataVersion version;
  {
    std::lock_guard lock(mu_);
    STRATA_TRY_ASSIGN(auto existing, read_topic_locked(topic.name));
    if (existing) return already_exists_error("topic " + topic.name + " already exists");
    version = MetadataVersion(revision_.value() + 1);
    std::vector<Change> changes;
    storage::KvWriteBatch batch;
    batch.put(local_keys::topic(topic.name), envelope(version, encode_topic_record(topic)));
    // Leftovers of a topic of this name deleted by an older layout: none
    // should exist, but a new topic must never inherit a state.
    STRATA_TRY_ASSIGN(auto stale, read_partitions_locked(topic.name));
    for (const auto& [index, state] : stale) batch.remove(local_keys::partition(topic.name, index));
    changes.push_back(TopicChange{topic.name, Versioned<TopicRecord>{topic, version}, version});
    for (std::size_t p = 0; p < partitions.size(); ++p) {
      const auto index = static_cast<std::int32_t>(p);
      batch.put(local_keys::partition(topic.name, index),
                envelope(version, encode_partition_state(partitions[p])));
      changes.push_back(
          PartitionChange{TopicPartition{topic.name, PartitionId(index)},
                          Versioned<PartitionState>{partitions[p], version}, version});
    }
    batch.put(local_keys::kRevision, encode_counter(version.value()));
    STRATA_TRY(kv_.write(batch));
    revision_ = version;
    queue_changes(std::move(changes));
  }
  deliver();
  return version;
}

Result<MetadataVersion> LocalMetadataStore::update_topic(const TopicRecord& topic,
                                                         MetadataVersion expected,
                                                         const std::vector<PartitionState>& added) {
  STRATA_TRY(check_record(topic));
  MetadataVersion version;
  {
    std::lock_guard lock(mu_);
    STRATA_TRY_ASSIGN(auto current, read_topic_locked(topic.name));
    if (!current) return not_found_error("topic " + topic.name + " does not exist");
    if (current->version != expected) {
      return conflict("topic " + topic.name, expected, current->version);
    }
    const TopicRecord& old = current->value;
    if (old.topic_id != topic.topic_id) {
      return invalid_argument_error("topic " + topic.name + ": the topic id cannot change");
    }
    if (topic.partition_count < old.partition_count ||
        added.size() != static_cast<std::size_t>(topic.partition_count - old.partition_count)) {
      return invalid_argument_error("topic " + topic.name + ": from " +
                                    std::to_string(old.partition_count) + " to " +
                                    std::to_string(topic.partition_count) + " partitions with " +
                                    std::to_string(added.size()) + " new partition states");
    }
    version = MetadataVersion(revision_.value() + 1);
    std::vector<Change> changes;
    storage::KvWriteBatch batch;
    batch.put(local_keys::topic(topic.name), envelope(version, encode_topic_record(topic)));
    changes.push_back(TopicChange{topic.name, Versioned<TopicRecord>{topic, version}, version});
    for (std::size_t i = 0; i < added.size(); ++i) {
      const std::int32_t index = old.partition_count + static_cast<std::int32_t>(i);
      batch.put(local_keys::partition(topic.name, index),
                envelope(version, encode_partition_state(added[i])));
      changes.push_back(PartitionChange{TopicPartition{topic.name, PartitionId(index)},
                                        Versioned<PartitionState>{added[i], version}, version});
    }
    batch.put(local_keys::kRevision, encode_counter(version.value()));
    STRATA_TRY(kv_.write(batch));
    revision_ = version;
    queue_changes(std::move(changes));
  }
  deliver();
  return version;
}

Result<MetadataVersion> LocalMetadataStore::delete_topic(const std::string& name,
                                                         std::optional<MetadataVersion> expected) {
  MetadataVersion version;
  {
    std::lock_guard lock(mu_);
    STRATA_TRY_ASSIGN(auto current, read_topic_locked(name));
    if (!current) return not_found_error("topic " + name + " does not exist");
    if (expected && current->version != *expected) {
      return conflict("topic " + name, *expected, current->version);
    }
    STRATA_TRY_ASSIGN(auto partitions, read_partitions_locked(name));
    version = MetadataVersion(revision_.value() + 1);
    std::vector<Change> changes;
    storage::KvWriteBatch batch;
    batch.remove(local_keys::topic(name));
    changes.push_back(TopicChange{name, std::nullopt, version});
    for (const auto& [index, state] : partitions) {
      batch.remove(local_keys::partition(name, index));
      changes.push_back(
          PartitionChange{TopicPartition{name, PartitionId(index)}, std::nullopt, version});
    }
    batch.put(local_keys::kRevision, encode_counter(version.value()));
    STRATA_TRY(kv_.write(batch));
    revision_ = version;
    queue_changes(std::move(changes));
  }
  deliver();
  return version;
}

Result<MetadataVersion> LocalMetadataStore::update_partition_state(const TopicPartition& partition,
                                                                   const PartitionState& state,
                                                                   MetadataVersion expected) {
  const std::string key = local_keys::partition(partition.topic, partition.partition.value());
  MetadataVersion version;
  {
    std::lock_guard lock(mu_);
    STRATA_TRY_ASSIGN(std::optional<std::string> stored, kv_.get(key));
    if (!stored) return not_found_error(partition.to_string() + ": no such partition");
    STRATA_TRY_ASSIGN(Versioned<PartitionState> current, decode_stored_partition(*stored, key));
    if (current.version != expected) {
      return conflict(partition.to_string(), expected, current.version);
    }
    version = MetadataVersion(revision_.value() + 1);
    storage::KvWriteBatch batch;
    batch.put(key, envelope(version, encode_partition_state(state)));
    batch.put(local_keys::kRevision, encode_counter(version.value()));
    STRATA_TRY(kv_.write(batch));
    revision_ = version;
    std::vector<Change> changes;
    changes.push_back(
        PartitionChange{partition, Versioned<PartitionState>{state, version}, version});
    queue_changes(std::move(changes));
  }
  deliver();
  return version;
}

Result<ProducerIdBlock> LocalMetadataStore::allocate_producer_ids(std::int64_t count) {
  if (count < 1) return invalid_argument_error("producer ids: block of " + std::to_string(count));
  std::lock_guard lock(mu_);
  STRATA_TRY_ASSIGN(std::optional<std::string> stored, kv_.get(local_keys::kProducerIdNext));
  std::int64_t first = 0;
  if (stored) {
    STRATA_TRY_ASSIGN(first, decode_counter(*stored, local_keys::kProducerIdNext));
  }
  // Stored (synced) before any id of the block is handed out: a restart
  // starts after it even if none was used.
  STRATA_TRY(kv_.put(local_keys::kProducerIdNext, encode_counter(first + count)));
  return ProducerIdBlock{first, count};
}

}  // namespace strata::replication
