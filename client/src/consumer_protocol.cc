// Kafka's consumer protocol (ConsumerProtocolSubscription and
// ConsumerProtocolAssignment), the v0 fields; declared in <strata/assignor.h>.

#include <map>

#include <strata/assignor.h>

#include "common/endian.h"
#include "common/status.h"

namespace strata::client {
namespace {

template <typename T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  store_be<T>(reinterpret_cast<std::byte*>(bytes), value);
  out.append(bytes, sizeof(T));
}

void put_string(std::string& out, std::string_view s) {
  put<std::int16_t>(out, static_cast<std::int16_t>(s.size()));
  out.append(s);
}

void put_bytes(std::string& out, std::string_view s) {
  put<std::int32_t>(out, static_cast<std::int32_t>(s.size()));
  out.append(s);
}

// Reads big-endian fields, checking the remaining length before each read.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}

  template <typename T>
  bool get(T& out) {
    if (rest_.size() < sizeof(T)) return false;
    out = load_be<T>(reinterpret_cast<const std::byte*>(rest_.data()));
    rest_.remove_prefix(sizeof(T));
    return true;
  }
  bool get_string(std::string& out) {
    std::int16_t size = 0;
    if (!get(size) || size < 0 || static_cast<std::size_t>(size) > rest_.size()) return false;
    out.assign(rest_.substr(0, static_cast<std::size_t>(size)));
    rest_.remove_prefix(static_cast<std::size_t>(size));
    return true;
  }
  // Nullable bytes: -1 reads as empty.
  bool get_bytes(std::string& out) {
    std::int32_t size = 0;
    if (!get(size) || size < -1) return false;
    if (size == -1) return true;
    if (static_cast<std::size_t>(size) > rest_.size()) return false;
    out.assign(rest_.substr(0, static_cast<std::size_t>(size)));
    rest_.remove_prefix(static_cast<std::size_t>(size));
    return true;
  }
  // An array count, bounded by what the remaining bytes could hold.
  bool get_count(std::int32_t& out, std::size_t min_element_bytes) {
    if (!get(out) || out < -1) return false;
    if (out == -1) out = 0;
    return static_cast<std::size_t>(out) <= rest_.size() / min_element_bytes;
  }

 private:
  std::string_view rest_;
};

Status truncated(std::string_view what) {
  return corruption_error(std::string(what) + ": truncated or malformed");
}

}  // namespace

std::string encode_subscription(const ConsumerSubscription& subscription) {
  std::string out;
  put<std::int16_t>(out, 0);
  put<std::int32_t>(out, static_cast<std::int32_t>(subscription.topics.size()));
  for (const auto& topic : subscription.topics) put_string(out, topic);
  put_bytes(out, subscription.user_data);
  return out;
}

Result<ConsumerSubscription> decode_subscription(std::string_view bytes) {
  Reader in(bytes);
  ConsumerSubscription out;
  std::int16_t version = 0;
  std::int32_t count = 0;
  if (!in.get(version) || version < 0 || !in.get_count(count, 2)) {
    return truncated("consumer subscription");
  }
  for (std::int32_t i = 0; i < count; ++i) {
    std::string topic;
    if (!in.get_string(topic)) return truncated("consumer subscription");
    out.topics.push_back(std::move(topic));
  }
  if (!in.get_bytes(out.user_data)) return truncated("consumer subscription");
  return out;
}

std::string encode_assignment(const ConsumerAssignment& assignment) {
  std::map<std::string, std::vector<std::int32_t>> by_topic;
  for (const auto& tp : assignment.partitions) by_topic[tp.topic].push_back(tp.partition.value());
  std::string out;
  put<std::int16_t>(out, 0);
  put<std::int32_t>(out, static_cast<std::int32_t>(by_topic.size()));
  for (const auto& [topic, partitions] : by_topic) {
    put_string(out, topic);
    put<std::int32_t>(out, static_cast<std::int32_t>(partitions.size()));
    for (std::int32_t p : partitions) put<std::int32_t>(out, p);
  }
  put_bytes(out, assignment.user_data);
  return out;
}

Result<ConsumerAssignment> decode_assignment(std::string_view bytes) {
  ConsumerAssignment out;
  // An empty assignment (a member the leader left out) means no partitions.
  if (bytes.empty()) return out;
  Reader in(bytes);
  std::int16_t version = 0;
  std::int32_t topics = 0;
  if (!in.get(version) || version < 0 || !in.get_count(topics, 6)) {
    return truncated("consumer assignment");
  }
  for (std::int32_t t = 0; t < topics; ++t) {
    std::string topic;
    std::int32_t count = 0;
    if (!in.get_string(topic) || !in.get_count(count, 4)) return truncated("consumer assignment");
    for (std::int32_t i = 0; i < count; ++i) {
      std::int32_t p = 0;
      if (!in.get(p)) return truncated("consumer assignment");
      out.partitions.push_back(TopicPartition{topic, PartitionId(p)});
    }
  }
  if (!in.get_bytes(out.user_data)) return truncated("consumer assignment");
  return out;
}

}  // namespace strata::client
