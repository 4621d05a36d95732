#include "broker/topic_table.h"

namespace strata::broker {

using replication::MetadataVersion;
using replication::PartitionState;
using replication::TopicRecord;

Status TopicTable::load() {
  STRATA_TRY_ASSIGN(replication::MetadataSnapshot snapshot, store_.snapshot());
  std::map<std::string, Entry> loaded;
  for (auto& [name, topic] : snapshot.topics) {
    STRATA_TRY_ASSIGN(TopicConfig config, TopicConfig::make(topic.value.configs, defaults_));
    loaded.emplace(name, Entry{topic.value, topic.version, std::move(config)});
  }
  std::lock_guard lock(mu_);
  topics_ = std::move(loaded);
  return Status::ok_status();
}

Result<TopicConfig> TopicTable::check_new(const std::string& name, std::int32_t partitions,
                                          std::map<std::string, std::string> configs,
                                          bool internal) const {
  if (!internal) STRATA_TRY(validate_topic_name(name));
  if (partitions < 1 || partitions > kMaxPartitionsPerTopic) {
    return invalid_argument_error("topic " + name + ": partition count " +
                                  std::to_string(partitions) + " is outside [1, " +
                                  std::to_string(kMaxPartitionsPerTopic) + "]");
  }
  STRATA_TRY_ASSIGN(TopicConfig config, TopicConfig::make(std::move(configs), defaults_));
  if (find(name)) return already_exists_error("topic " + name + " already exists");
  return config;
}

Result<TopicTable::Entry> TopicTable::create(const std::string& name, std::int32_t partitions,
                                             TopicConfig config, bool internal) {
  TopicRecord record{name, replication::new_topic_id(), partitions, config.overrides(), internal};
  std::vector<PartitionState> states(static_cast<std::size_t>(partitions), local_partition());
  STRATA_TRY_ASSIGN(MetadataVersion version, store_.create_topic(record, states));
  Entry entry{std::move(record), version, std::move(config)};
  std::lock_guard lock(mu_);
  topics_.insert_or_assign(name, entry);
  return entry;
}

Status TopicTable::remove(const std::string& name) {
  std::optional<Entry> entry = find(name);
  if (!entry) return not_found_error("topic " + name + " does not exist");
  STRATA_TRY(store_.delete_topic(name, entry->version).status());
  std::lock_guard lock(mu_);
  topics_.erase(name);
  return Status::ok_status();
}

Result<TopicTable::Entry> TopicTable::grow(const std::string& name,
                                           std::int32_t total_partitions) {
  std::optional<Entry> entry = find(name);
  if (!entry) return not_found_error("topic " + name + " does not exist");
  TopicRecord record = entry->record;
  const std::int32_t added = total_partitions - record.partition_count;
  record.partition_count = total_partitions;
  std::vector<PartitionState> states(static_cast<std::size_t>(added), local_partition());
  STRATA_TRY_ASSIGN(MetadataVersion version, store_.update_topic(record, entry->version, states));
  entry->record = std::move(record);
  entry->version = version;
  std::lock_guard lock(mu_);
  topics_.insert_or_assign(name, *entry);
  return *entry;
}

std::optional<TopicTable::Entry> TopicTable::find(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(name);
  if (it == topics_.end()) return std::nullopt;
  return it->second;
}

std::vector<TopicTable::Entry> TopicTable::list() const {
  std::lock_guard lock(mu_);
  std::vector<Entry> out;
  out.reserve(topics_.size());
  for (const auto& [name, entry] : topics_) out.push_back(entry);
  return out;
}

PartitionState TopicTable::local_partition() const {
  return PartitionState{{local_broker_}, local_broker_, LeaderEpoch(0), {local_broker_}};
}

}  // namespace strata::broker
