#include "broker/topic_manager.h"

#include <charconv>
#include <future>
#include <sstream>
#include <system_error>

#include "broker/logger.h"
#include "storage/flusher.h"
#include "storage/kv_store.h"

namespace strata::broker {
namespace {

constexpr std::string_view kTopicKeyPrefix = "topics/";

// The stored form of a topic: "partitions=N", "internal=0|1" and one
// "config.<name>=<value>" line per config set on the topic.
std::string encode_topic(const Topic& topic) {
  std::string out = "partitions=" + std::to_string(topic.partitions.size()) + "\n";
  out += std::string("internal=") + (topic.is_internal ? "1" : "0") + "\n";
  for (const auto& [name, value] : topic.config.overrides()) {
    out += "config." + name + "=" + value + "\n";
  }
  return out;
}

struct StoredTopic {
  std::int32_t partitions = 0;
  bool is_internal = false;
  std::map<std::string, std::string> configs;
};

Result<StoredTopic> decode_topic(const std::string& name, const std::string& text) {
  StoredTopic out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    if (key == "partitions") {
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), out.partitions);
      if (ec != std::errc()) return corruption_error("topic " + name + ": bad partition count");
    } else if (key == "internal") {
      out.is_internal = value == "1";
    } else if (key.starts_with("config.")) {
      out.configs[key.substr(7)] = value;
    }
  }
  if (out.partitions < 1) return corruption_error("topic " + name + ": no partitions stored");
  return out;
}

std::filesystem::path partition_dir(const std::filesystem::path& data_dir,
                                    const std::string& topic, std::int32_t partition) {
  return data_dir / (topic + "-" + std::to_string(partition));
}

// Closes `partitions` on their strands and waits. Never call on the pool.
Status close_all(const std::vector<std::shared_ptr<Partition>>& partitions, bool remove_files) {
  std::vector<std::future<Status>> results;
  for (const auto& p : partitions) {
    auto promise = std::make_shared<std::promise<Status>>();
    results.push_back(promise->get_future());
    p->close(remove_files, [promise](Status st) { promise->set_value(std::move(st)); });
  }
  Status first;
  for (auto& f : results) {
    Status st = f.get();
    if (!st.ok() && first.ok()) first = st;
  }
  return first;
}

}  // namespace

TopicManager::TopicManager(std::filesystem::path data_dir, storage::KvStore& kv,
                           storage::Flusher& flusher, asio::thread_pool& pool,
                           TopicDefaults defaults)
    : data_dir_(std::move(data_dir)), kv_(kv), flusher_(flusher), pool_(pool),
      defaults_(defaults) {}

TopicManager::~TopicManager() { stop(); }

Status TopicManager::load() {
  STRATA_TRY_ASSIGN(std::vector<storage::KvPair> stored, kv_.scan_prefix(kTopicKeyPrefix));
  for (const storage::KvPair& pair : stored) {
    const std::string name = pair.key.substr(kTopicKeyPrefix.size());
    STRATA_TRY_ASSIGN(StoredTopic st, decode_topic(name, pair.value));
    STRATA_TRY_ASSIGN(TopicConfig config, TopicConfig::make(st.configs, defaults_));
    auto topic = std::make_shared<Topic>();
    topic->name = name;
    topic->config = config;
    topic->is_internal = st.is_internal;
    STRATA_TRY_ASSIGN(topic->partitions, open_partitions(name, config, 0, st.partitions, false));
    logger()->info("topic {}: loaded partitions={}", name, st.partitions);
    std::lock_guard lock(mu_);
    topics_[name] = std::move(topic);
  }
  return Status::ok_status();
}

Result<std::vector<std::shared_ptr<Partition>>> TopicManager::open_partitions(
    const std::string& topic, const TopicConfig& config, std::int32_t from, std::int32_t to,
    bool fresh) {
  std::vector<std::shared_ptr<Partition>> out;
  for (std::int32_t p = from; p < to; ++p) {
    const std::filesystem::path dir = partition_dir(data_dir_, topic, p);
    if (fresh) {
      // Left over by a crash in the middle of a delete: a new topic starts empty.
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
      if (ec) return errno_error("remove " + dir.string(), ec.value());
    }
    auto opened = Partition::open(TopicPartition{topic, PartitionId(p)}, dir,
                                  config.log_options(), &flusher_, pool_);
    if (!opened.ok()) {
      (void)close_all(out, fresh);
      return opened.status();
    }
    out.push_back(std::move(opened).value());
  }
  return out;
}

Status TopicManager::store_topic(const Topic& topic) {
  return kv_.put(std::string(kTopicKeyPrefix) + topic.name, encode_topic(topic));
}

Status TopicManager::create_topic(const std::string& name, std::int32_t partitions,
                                  std::map<std::string, std::string> configs, bool internal) {
  if (!internal) STRATA_TRY(validate_topic_name(name));
  if (partitions < 1 || partitions > kMaxPartitionsPerTopic) {
    return invalid_argument_error("topic " + name + ": partition count " +
                                  std::to_string(partitions) + " is outside [1, " +
                                  std::to_string(kMaxPartitionsPerTopic) + "]");
  }
  STRATA_TRY_ASSIGN(TopicConfig config, TopicConfig::make(std::move(configs), defaults_));
  {
    std::lock_guard lock(mu_);
    if (topics_.contains(name)) return already_exists_error("topic " + name + " already exists");
  }
  auto topic = std::make_shared<Topic>();
  topic->name = name;
  topic->config = config;
  topic->is_internal = internal;
  // Logs first, then the metadata: a crash in between leaves directories
  // that the next create of this name removes.
  STRATA_TRY_ASSIGN(topic->partitions, open_partitions(name, config, 0, partitions, true));
  Status stored = store_topic(*topic);
  if (!stored.ok()) {
    (void)close_all(topic->partitions, true);
    return stored;
  }
  {
    std::lock_guard lock(mu_);
    topics_[name] = topic;
  }
  logger()->info("topic {}: created partitions={} configs={}", name, partitions,
                 config.overrides().size());
  return Status::ok_status();
}

Status TopicManager::delete_topic(const std::string& name) {
  std::shared_ptr<const Topic> topic;
  {
    std::lock_guard lock(mu_);
    auto it = topics_.find(name);
    if (it == topics_.end()) return not_found_error("topic " + name + " does not exist");
    if (it->second->is_internal) {
      return invalid_argument_error("topic " + name + " is internal and cannot be deleted");
    }
    topic = it->second;
  }
  // Metadata first: after a crash the topic is gone and its directories are
  // cleaned up by the next create of the same name.
  STRATA_TRY(kv_.remove(std::string(kTopicKeyPrefix) + name));
  {
    std::lock_guard lock(mu_);
    topics_.erase(name);
  }
  Status closed = close_all(topic->partitions, true);
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
  auto topic = std::make_shared<Topic>(*current);
  STRATA_TRY_ASSIGN(auto added, open_partitions(name, topic->config, count, total_partitions, true));
  topic->partitions.insert(topic->partitions.end(), added.begin(), added.end());
  Status stored = store_topic(*topic);
  if (!stored.ok()) {
    (void)close_all(added, true);
    return stored;
  }
  {
    std::lock_guard lock(mu_);
    topics_[name] = topic;
  }
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
  Status st = close_all(all, false);
  if (!st.ok()) logger()->error("closing partitions: {}", st.to_string());
}

}  // namespace strata::broker
