#include "broker/topic_manager.h"

#include "broker/logger.h"

namespace strata::broker {

TopicManager::TopicManager(replication::MetadataStore& store, storage::LogManager& logs,
                           asio::thread_pool& pool, TopicDefaults defaults, BrokerId local_broker)
    : pool_(pool), table_(store, defaults, local_broker), replicas_(logs, pool) {}

TopicManager::~TopicManager() { stop(); }

Status TopicManager::load() {
  STRATA_TRY(table_.load());
  // Standalone: every partition of every topic is open on this broker.
  for (const TopicTable::Entry& entry : table_.list()) {
    const std::string& name = entry.record.name;
    STRATA_TRY_ASSIGN(auto partitions,
                      replicas_.open(name, entry.config.log_options(), 0,
                                     entry.record.partition_count, false));
    logger()->info("topic {}: loaded partitions={}", name, entry.record.partition_count);
    publish(entry, std::move(partitions));
  }
  return Status::ok_status();
}

void TopicManager::publish(const TopicTable::Entry& entry,
                           std::vector<std::shared_ptr<Partition>> partitions) {
  auto topic = std::make_shared<Topic>();
  topic->name = entry.record.name;
  topic->topic_id = entry.record.topic_id;
  topic->config = entry.config;
  topic->is_internal = entry.record.is_internal;
  topic->partitions = std::move(partitions);
  std::lock_guard lock(mu_);
  topics_[topic->name] = std::move(topic);
}

Status TopicManager::create_topic(const std::string& name, std::int32_t partitions,
                                  std::map<std::string, std::string> configs, bool internal) {
  STRATA_TRY_ASSIGN(TopicConfig config,
                    table_.check_new(name, partitions, std::move(configs), internal));
  // Logs first, then the metadata: a crash in between leaves directories
  // that the next create of this name removes.
  STRATA_TRY_ASSIGN(auto opened, replicas_.open(name, config.log_options(), 0, partitions, true));
  auto created = table_.create(name, partitions, config, internal);
  if (!created.ok()) {
    (void)replicas_.close(opened, true);
    return created.status();
  }
  publish(*created, std::move(opened));
  logger()->info("topic {}: created partitions={} configs={}", name, partitions,
                 config.overrides().size());
  return Status::ok_status();
}

Status TopicManager::delete_topic(const std::string& name) {
  STRATA_TRY_ASSIGN(std::shared_ptr<const Topic> topic, find_topic(name));
  if (topic->is_internal) {
    return invalid_argument_error("topic " + name + " is internal and cannot be deleted");
  }
  // Metadata first: after a crash the topic is gone and its directories are
  // cleaned up by the next create of the same name.
  STRATA_TRY(table_.remove(name));
  {
    std::lock_guard lock(mu_);
    topics_.erase(name);
  }
  Status closed = replicas_.close(topic->partitions, true);
  logger()->info("topic {}: deleted partitions={}", name, topic->partitions.size());
  return closed;
}

Status TopicManager::add_partitions(const std::string& name, std::int32_t total_partitions) {
  STRATA_TRY_ASSIGN(std::shared_ptr<const Topic> current, find_topic(name));
  const auto count = static_cast<std::int32_t>(current->partitions.size());
  if (total_partitions <= count || total_partitions > kMaxPartitionsPerTopic) {
    return invalid_argument_error("topic " + name + ": new partition count " +
                                  std::to_string(total_partitions) + " must be in (" +
                                  std::to_string(count) + ", " +
                                  std::to_string(kMaxPartitionsPerTopic) + "]");
  }
  STRATA_TRY_ASSIGN(auto added, replicas_.open(name, current->config.log_options(), count,
                                               total_partitions, true));
  auto grown = table_.grow(name, total_partitions);
  if (!grown.ok()) {
    (void)replicas_.close(added, true);
    return grown.status();
  }
  std::vector<std::shared_ptr<Partition>> partitions = current->partitions;
  partitions.insert(partitions.end(), added.begin(), added.end());
  publish(*grown, std::move(partitions));
  logger()->info("topic {}: added partitions from={} to={}", name, count, total_partitions);
  return Status::ok_status();
}

Result<std::shared_ptr<Partition>> Topic::find_partition(std::int32_t index) const {
  if (index < 0 || static_cast<std::size_t>(index) >= partitions.size()) {
    return not_found_error(name + "-" + std::to_string(index) + ": no such partition");
  }
  return partitions[static_cast<std::size_t>(index)];
}

Result<std::shared_ptr<const Topic>> TopicManager::find_topic(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(name);
  if (it == topics_.end()) return not_found_error("topic " + name + " does not exist");
  return it->second;
}

std::vector<std::shared_ptr<const Topic>> TopicManager::list_topics() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const Topic>> out;
  out.reserve(topics_.size());
  for (const auto& [name, topic] : topics_) out.push_back(topic);
  return out;
}

void TopicManager::start_retention(std::chrono::milliseconds interval) {
  std::lock_guard lock(mu_);
  retention_interval_ = interval;
  retention_running_ = true;
  retention_timer_ = std::make_unique<asio::steady_timer>(pool_.get_executor());
  arm_retention_timer();
}

void TopicManager::arm_retention_timer() {
  // Requires mu_ held.
  retention_timer_->expires_after(retention_interval_);
  retention_timer_->async_wait([this](std::error_code ec) {
    if (ec) return;
    std::lock_guard lock(mu_);
    if (!retention_running_) return;
    for (const auto& [name, topic] : topics_) {
      for (const auto& p : topic->partitions) p->run_retention();
    }
    arm_retention_timer();
  });
}

void TopicManager::stop() {
  std::vector<std::shared_ptr<Partition>> all;
  {
    std::lock_guard lock(mu_);
    retention_running_ = false;
    if (retention_timer_) retention_timer_->cancel();
    for (const auto& [name, topic] : topics_) {
      all.insert(all.end(), topic->partitions.begin(), topic->partitions.end());
    }
    topics_.clear();
  }
  admin_pool_.join();
  Status st = replicas_.close(all, false);
  if (!st.ok()) logger()->error("closing partitions: {}", st.to_string());
}

}  // namespace strata::broker
