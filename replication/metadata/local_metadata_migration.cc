#include "replication/metadata/local_metadata_migration.h"

#include <charconv>
#include <map>
#include <sstream>
#include <string>

#include "replication/metadata/local_metadata_keys.h"
#include "replication/metadata/metadata_codec.h"
#include "storage/kv_store.h"

namespace strata::replication {
namespace {

// The old value of "topics/<name>": "partitions=N", "internal=0|1" and one
// "config.<name>=<value>" line per config set on the topic.
Result<TopicRecord> decode_legacy_topic(const std::string& name, const std::string& text) {
  TopicRecord out;
  out.name = name;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    if (key == "partitions") {
      auto [p, ec] =
          std::from_chars(value.data(), value.data() + value.size(), out.partition_count);
      if (ec != std::errc()) return corruption_error("topic " + name + ": bad partition count");
    } else if (key == "internal") {
      out.is_internal = value == "1";
    } else if (key.starts_with("config.")) {
      out.configs[key.substr(7)] = value;
    }
  }
  if (out.partition_count < 1) return corruption_error("topic " + name + ": no partitions stored");
  return out;
}

std::string versioned(std::int64_t version, const std::string& encoded) {
  return std::to_string(version) + " " + encoded;
}

}  // namespace

Status migrate_legacy_metadata(storage::KvStore& kv, BrokerId local_broker) {
  STRATA_TRY_ASSIGN(std::optional<std::string> format, kv.get(local_keys::kFormat));
  if (format) {
    if (*format != local_keys::kCurrentFormat) {
      return corruption_error("metadata: unknown format " + *format + " in " + kv.path());
    }
    return Status::ok_status();
  }
  storage::KvWriteBatch batch;
  // Every migrated record gets revision 1; a store with none stays at 0.
  bool wrote_record = false;
  STRATA_TRY_ASSIGN(std::optional<std::string> cluster_id, kv.get(local_keys::kLegacyClusterId));
  if (cluster_id) {
    batch.put(local_keys::kClusterId, *cluster_id).remove(local_keys::kLegacyClusterId);
  }
  STRATA_TRY_ASSIGN(std::optional<std::string> next_pid, kv.get(local_keys::kLegacyProducerIdNext));
  if (next_pid) {
    STRATA_TRY(decode_counter(*next_pid, local_keys::kLegacyProducerIdNext).status());
    batch.put(local_keys::kProducerIdNext, *next_pid).remove(local_keys::kLegacyProducerIdNext);
  }
  STRATA_TRY_ASSIGN(std::vector<storage::KvPair> topics,
                    kv.scan_prefix(local_keys::kLegacyTopicPrefix));
  PartitionState local;
  local.replicas = {local_broker};
  local.leader = local_broker;
  local.isr = {local_broker};
  for (const storage::KvPair& pair : topics) {
    const std::string name = pair.key.substr(local_keys::kLegacyTopicPrefix.size());
    STRATA_TRY_ASSIGN(TopicRecord topic, decode_legacy_topic(name, pair.value));
    topic.topic_id = new_topic_id();
    batch.put(local_keys::topic(name), versioned(1, encode_topic_record(topic)));
    for (std::int32_t p = 0; p < topic.partition_count; ++p) {
      batch.put(local_keys::partition(name, p), versioned(1, encode_partition_state(local)));
    }
    batch.remove(pair.key);
    wrote_record = true;
  }
  if (wrote_record) batch.put(local_keys::kRevision, encode_counter(1));
  batch.put(local_keys::kFormat, local_keys::kCurrentFormat);
  return kv.write(batch);
}

}  // namespace strata::replication
