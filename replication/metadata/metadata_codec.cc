#include "replication/metadata/metadata_codec.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace strata::replication {
namespace {

using nlohmann::json;

Status bad(std::string_view subject, std::string_view what) {
  return corruption_error(std::string(subject) + ": " + std::string(what));
}

// Parses without exceptions (the library throws otherwise).
Result<json> parse_object(std::string_view text, std::string_view subject) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad(subject, "not a JSON object");
  return j;
}

bool is_int32(const json& j) {
  return j.is_number_integer() && j.get<std::int64_t>() >= INT32_MIN &&
         j.get<std::int64_t>() <= INT32_MAX;
}

Result<std::vector<BrokerId>> broker_list(const json& j, const char* field,
                                          std::string_view subject) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_array()) return bad(subject, std::string(field) + " is not a list");
  std::vector<BrokerId> out;
  for (const json& id : *it) {
    if (!is_int32(id)) return bad(subject, std::string(field) + " holds a non-integer");
    out.emplace_back(id.get<std::int32_t>());
  }
  return out;
}

json broker_json(const std::vector<BrokerId>& ids) {
  json out = json::array();
  for (BrokerId id : ids) out.push_back(id.value());
  return out;
}

}  // namespace

std::string encode_topic_record(const TopicRecord& topic) {
  json configs = json::object();
  for (const auto& [name, value] : topic.configs) configs[name] = value;
  json j{{"name", topic.name},
         {"topic_id", topic.topic_id},
         {"partitions", topic.partition_count},
         {"internal", topic.is_internal},
         {"configs", std::move(configs)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<TopicRecord> decode_topic_record(std::string_view text, std::string_view subject) {
  STRATA_TRY_ASSIGN(json j, parse_object(text, subject));
  TopicRecord out;
  auto name = j.find("name");
  auto id = j.find("topic_id");
  auto partitions = j.find("partitions");
  auto internal = j.find("internal");
  auto configs = j.find("configs");
  if (name == j.end() || !name->is_string()) return bad(subject, "name is not a string");
  if (id == j.end() || !id->is_string()) return bad(subject, "topic_id is not a string");
  if (partitions == j.end() || !is_int32(*partitions) || partitions->get<std::int32_t>() < 1) {
    return bad(subject, "partitions is not a count of at least 1");
  }
  if (internal == j.end() || !internal->is_boolean()) return bad(subject, "internal is not a bool");
  if (configs == j.end() || !configs->is_object()) return bad(subject, "configs is not an object");
  out.name = name->get<std::string>();
  out.topic_id = id->get<std::string>();
  out.partition_count = partitions->get<std::int32_t>();
  out.is_internal = internal->get<bool>();
  for (const auto& [key, value] : configs->items()) {
    if (!value.is_string()) return bad(subject, "config " + key + " is not a string");
    out.configs[key] = value.get<std::string>();
  }
  return out;
}

std::string encode_partition_state(const PartitionState& state) {
  json j{{"replicas", broker_json(state.replicas)},
         {"leader", state.leader.value()},
         {"leader_epoch", state.leader_epoch.value()},
         {"isr", broker_json(state.isr)}};
  return j.dump();
}

Result<PartitionState> decode_partition_state(std::string_view text, std::string_view subject) {
  STRATA_TRY_ASSIGN(json j, parse_object(text, subject));
  PartitionState out;
  STRATA_TRY_ASSIGN(out.replicas, broker_list(j, "replicas", subject));
  STRATA_TRY_ASSIGN(out.isr, broker_list(j, "isr", subject));
  auto leader = j.find("leader");
  auto epoch = j.find("leader_epoch");
  if (leader == j.end() || !is_int32(*leader)) return bad(subject, "leader is not an integer");
  if (epoch == j.end() || !is_int32(*epoch) || epoch->get<std::int32_t>() < 0) {
    return bad(subject, "leader_epoch is not a non-negative integer");
  }
  out.leader = BrokerId(leader->get<std::int32_t>());
  out.leader_epoch = LeaderEpoch(epoch->get<std::int32_t>());
  return out;
}

std::string encode_counter(std::int64_t value) { return std::to_string(value); }

Result<std::int64_t> decode_counter(std::string_view text, std::string_view subject) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
    return bad(subject, "not a non-negative number: " + std::string(text));
  }
  return value;
}

}  // namespace strata::replication
