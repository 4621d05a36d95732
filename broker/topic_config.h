#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "storage/log_options.h"

namespace strata::broker {

// The broker-wide defaults of topic settings (the --default-* and related
// flags). A plain value, set once at start-up.
struct TopicDefaults {
  std::int32_t partitions = 1;
  std::uint64_t segment_bytes = 1ull << 30;
  std::int64_t segment_ms = 7LL * 24 * 3600 * 1000;
  std::int64_t retention_ms = 7LL * 24 * 3600 * 1000;
  std::int64_t retention_bytes = -1;
  bool durable = true;  // durability=fsync
  // Default max.message.bytes and also the largest value a topic may set:
  // the gRPC receive limit is derived from it.
  std::size_t max_message_bytes = 1048588;
};

// The most partitions one topic may have.
inline constexpr std::int32_t kMaxPartitionsPerTopic = 10000;

// One effective config of a topic, as DescribeTopic shows it.
struct TopicConfigEntry {
  std::string name;
  std::string value;
  bool is_default = true;
};

// The effective settings of one topic: the broker's defaults overlaid with
// the configs set on the topic. An immutable value; any thread.
//
// Supported names (Kafka's meanings): retention.ms, retention.bytes,
// segment.bytes, segment.ms, max.message.bytes, cleanup.policy,
// message.timestamp.type (CreateTime only), durability (fsync|async).
// cleanup.policy=compact (without delete) keeps every record: Strata does
// not compact yet, and a compacted topic is never trimmed by retention.
class TopicConfig {
 public:
  // Validates `overrides` against the supported names and value ranges.
  // Errors: invalid_argument naming the first unknown name or bad value.
  static Result<TopicConfig> make(std::map<std::string, std::string> overrides,
                                  const TopicDefaults& defaults);

  // The configs set on the topic (stored in the metadata store).
  const std::map<std::string, std::string>& overrides() const { return overrides_; }
  // Every supported config with its effective value, ordered by name.
  std::vector<TopicConfigEntry> effective() const;
  // The partition log settings these configs give.
  storage::LogOptions log_options() const;
  bool durable() const { return durable_; }
  // cleanup.policy includes delete: retention applies and DeleteRecords may
  // remove records (Kafka refuses it on compact-only topics).
  bool allows_deletion() const { return cleanup_delete_; }
  std::size_t max_message_bytes() const { return max_message_bytes_; }

 private:
  std::map<std::string, std::string> overrides_;
  TopicDefaults defaults_;
  std::int64_t retention_ms_ = 0;
  std::int64_t retention_bytes_ = 0;
  std::uint64_t segment_bytes_ = 0;
  std::int64_t segment_ms_ = 0;
  std::size_t max_message_bytes_ = 0;
  bool durable_ = true;
  std::string cleanup_policy_ = "delete";
  bool cleanup_delete_ = true;
};

// Checks a topic name: 1..249 characters of [A-Za-z0-9._-], not "." or "..".
// Errors: invalid_argument saying which rule the name breaks.
Status validate_topic_name(std::string_view name);

// True for internal topics (names starting with "__").
inline bool is_internal_topic_name(std::string_view name) { return name.starts_with("__"); }

}  // namespace strata::broker
