#include "broker/topic_config.h"

#include <charconv>
#include <limits>

namespace strata::broker {
namespace {

Result<std::int64_t> parse_int(const std::string& name, const std::string& value,
                               std::int64_t min, std::int64_t max) {
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || out < min ||
      out > max) {
    return invalid_argument_error(name + ": '" + value + "' is not an integer in [" +
                                  std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return out;
}

// cleanup.policy: a list of "delete" and "compact" (Kafka's spellings),
// each at most once. Returns whether "delete" is in it.
Result<bool> parse_cleanup_policy(const std::string& name, const std::string& value) {
  bool has_delete = false;
  bool has_compact = false;
  std::size_t at = 0;
  while (at <= value.size()) {
    std::size_t comma = value.find(',', at);
    if (comma == std::string::npos) comma = value.size();
    std::string item = value.substr(at, comma - at);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    bool& seen = item == "delete" ? has_delete : has_compact;
    if ((item != "delete" && item != "compact") || seen) {
      return invalid_argument_error(name + ": '" + value +
                                    "' is not a list of delete and compact, each at most once");
    }
    seen = true;
    at = comma + 1;
  }
  return has_delete;
}

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

}  // namespace

Result<TopicConfig> TopicConfig::make(std::map<std::string, std::string> overrides,
                                      const TopicDefaults& defaults) {
  TopicConfig c;
  c.defaults_ = defaults;
  c.retention_ms_ = defaults.retention_ms;
  c.retention_bytes_ = defaults.retention_bytes;
  c.segment_bytes_ = defaults.segment_bytes;
  c.segment_ms_ = defaults.segment_ms;
  c.max_message_bytes_ = defaults.max_message_bytes;
  c.durable_ = defaults.durable;
  for (const auto& [name, value] : overrides) {
    if (name == "retention.ms") {
      STRATA_TRY_ASSIGN(c.retention_ms_, parse_int(name, value, -1, kInt64Max));
    } else if (name == "retention.bytes") {
      STRATA_TRY_ASSIGN(c.retention_bytes_, parse_int(name, value, -1, kInt64Max));
    } else if (name == "segment.bytes") {
      STRATA_TRY_ASSIGN(std::int64_t v, parse_int(name, value, 14, 0xFFFFFFFFLL));
      c.segment_bytes_ = static_cast<std::uint64_t>(v);
    } else if (name == "segment.ms") {
      STRATA_TRY_ASSIGN(c.segment_ms_, parse_int(name, value, 1, kInt64Max));
    } else if (name == "max.message.bytes") {
      STRATA_TRY_ASSIGN(std::int64_t v,
                        parse_int(name, value, 61,
                                  static_cast<std::int64_t>(defaults.max_message_bytes)));
      c.max_message_bytes_ = static_cast<std::size_t>(v);
    } else if (name == "cleanup.policy") {
      STRATA_TRY_ASSIGN(c.cleanup_delete_, parse_cleanup_policy(name, value));
      c.cleanup_policy_ = value;
    } else if (name == "message.timestamp.type") {
      // LogAppendTime would need the broker to rewrite batch timestamps.
      if (value != "CreateTime") {
        return invalid_argument_error(name + ": '" + value +
                                      "' is not supported (only CreateTime)");
      }
    } else if (name == "durability") {
      if (value != "fsync" && value != "async") {
        return invalid_argument_error(name + ": '" + value + "' is not fsync or async");
      }
      c.durable_ = value == "fsync";
    } else {
      return invalid_argument_error("unknown topic config '" + name + "'");
    }
  }
  c.overrides_ = std::move(overrides);
  return c;
}

std::vector<TopicConfigEntry> TopicConfig::effective() const {
  auto entry = [&](const std::string& name, std::string value) {
    return TopicConfigEntry{name, std::move(value), !overrides_.contains(name)};
  };
  return {
      entry("cleanup.policy", cleanup_policy_),
      entry("durability", durable_ ? "fsync" : "async"),
      entry("max.message.bytes", std::to_string(max_message_bytes_)),
      entry("message.timestamp.type", "CreateTime"),
      entry("retention.bytes", std::to_string(retention_bytes_)),
      entry("retention.ms", std::to_string(retention_ms_)),
      entry("segment.bytes", std::to_string(segment_bytes_)),
      entry("segment.ms", std::to_string(segment_ms_)),
  };
}

storage::LogOptions TopicConfig::log_options() const {
  storage::LogOptions o;
  o.segment_bytes = segment_bytes_;
  o.segment_ms = segment_ms_;
  // Not compacted yet, so a compact-only topic keeps every record.
  o.retention_bytes = cleanup_delete_ ? retention_bytes_ : storage::LogOptions::kUnlimited;
  o.retention_ms = cleanup_delete_ ? retention_ms_ : storage::LogOptions::kUnlimited;
  o.max_batch_bytes = max_message_bytes_;
  o.durable = durable_;
  return o;
}

Status validate_topic_name(std::string_view name) {
  if (name.empty()) return invalid_argument_error("topic name is empty");
  if (name.size() > 249) {
    return invalid_argument_error("topic name is " + std::to_string(name.size()) +
                                  " characters long, more than 249");
  }
  if (name == "." || name == "..") {
    return invalid_argument_error("topic name '" + std::string(name) + "' is not allowed");
  }
  for (char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
    if (!ok) {
      return invalid_argument_error("topic name '" + std::string(name) +
                                    "' has a character other than [A-Za-z0-9._-]");
    }
  }
  return Status::ok_status();
}

}  // namespace strata::broker
