#include <algorithm>
#include <set>

#include <strata/assignor.h>

namespace strata::client {
namespace {

// Members subscribed to `topic`, sorted by id.
std::vector<std::string> members_of(
    const std::string& topic, const std::map<std::string, std::vector<std::string>>& subscriptions) {
  std::vector<std::string> out;
  for (const auto& [member, topics] : subscriptions) {
    if (std::find(topics.begin(), topics.end(), topic) != topics.end()) out.push_back(member);
  }
  return out;  // std::map iterates in id order
}

std::map<std::string, std::vector<TopicPartition>> empty_result(
    const std::map<std::string, std::vector<std::string>>& subscriptions) {
  std::map<std::string, std::vector<TopicPartition>> out;
  for (const auto& [member, topics] : subscriptions) out[member];
  return out;
}

class RangeAssignor final : public ConsumerAssignor {
 public:
  std::string name() const override { return "range"; }

  std::map<std::string, std::vector<TopicPartition>> assign(
      const std::map<std::string, std::int32_t>& partition_counts,
      const std::map<std::string, std::vector<std::string>>& subscriptions) const override {
    auto out = empty_result(subscriptions);
    for (const auto& [topic, count] : partition_counts) {
      const std::vector<std::string> members = members_of(topic, subscriptions);
      if (members.empty() || count <= 0) continue;
      const auto n = static_cast<std::int32_t>(members.size());
      const std::int32_t per_member = count / n;
      const std::int32_t extra = count % n;
      for (std::int32_t i = 0; i < n; ++i) {
        const std::int32_t start = per_member * i + std::min(i, extra);
        const std::int32_t length = per_member + (i < extra ? 1 : 0);
        for (std::int32_t p = start; p < start + length; ++p) {
          out[members[static_cast<std::size_t>(i)]].push_back(TopicPartition{topic, PartitionId(p)});
        }
      }
    }
    return out;
  }
};

class RoundRobinAssignor final : public ConsumerAssignor {
 public:
  std::string name() const override { return "roundrobin"; }

  std::map<std::string, std::vector<TopicPartition>> assign(
      const std::map<std::string, std::int32_t>& partition_counts,
      const std::map<std::string, std::vector<std::string>>& subscriptions) const override {
    auto out = empty_result(subscriptions);
    if (subscriptions.empty()) return out;
    std::vector<std::string> members;
    for (const auto& [member, topics] : subscriptions) members.push_back(member);
    std::size_t next = 0;
    for (const auto& [topic, count] : partition_counts) {
      for (std::int32_t p = 0; p < count; ++p) {
        // The next member in the circle that subscribes to this topic.
        for (std::size_t tries = 0; tries < members.size(); ++tries) {
          const std::string& member = members[next];
          next = (next + 1) % members.size();
          const auto& topics = subscriptions.at(member);
          if (std::find(topics.begin(), topics.end(), topic) != topics.end()) {
            out[member].push_back(TopicPartition{topic, PartitionId(p)});
            break;
          }
        }
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<ConsumerAssignor> make_range_assignor() { return std::make_unique<RangeAssignor>(); }

std::unique_ptr<ConsumerAssignor> make_round_robin_assignor() {
  return std::make_unique<RoundRobinAssignor>();
}

std::unique_ptr<ConsumerAssignor> make_assignor(std::string_view name) {
  if (name == "range") return make_range_assignor();
  if (name == "roundrobin") return make_round_robin_assignor();
  return nullptr;
}

}  // namespace strata::client
