#pragma once

// Partition assignors for consumer groups, run client side by the group's
// leader as in Kafka, and Kafka's consumer protocol encoding of
// subscriptions and assignments, so native and Kafka consumers could share
// a group (protocol type "consumer").

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "common/result.h"

namespace strata::client {

// The protocol type native consumers join with.
inline constexpr std::string_view kConsumerProtocolType = "consumer";

// What a member asks for: Kafka's ConsumerProtocolSubscription (v0 fields).
struct ConsumerSubscription {
  std::vector<std::string> topics;
  std::string user_data;
};

// What a member gets: Kafka's ConsumerProtocolAssignment (v0 fields).
struct ConsumerAssignment {
  std::vector<TopicPartition> partitions;
  std::string user_data;
};

// Version 0 encodings (Kafka's consumer protocol, big-endian): subscription
// = i16 version, array<string topic>, nullable bytes user_data; assignment
// = i16 version, array<(string topic, array<i32 partition>)>, nullable
// bytes user_data. Decoders accept higher versions and ignore the fields
// after v0's. Errors: corruption (truncated, negative lengths).
std::string encode_subscription(const ConsumerSubscription& subscription);
Result<ConsumerSubscription> decode_subscription(std::string_view bytes);
std::string encode_assignment(const ConsumerAssignment& assignment);
Result<ConsumerAssignment> decode_assignment(std::string_view bytes);

// Decides which member reads which partition. Pure functions of their
// input; any thread.
class ConsumerAssignor {
 public:
  virtual ~ConsumerAssignor() = default;
  // The name members vote on in JoinGroup ("range", "roundrobin").
  virtual std::string name() const = 0;
  // `partition_counts`: every subscribed topic's partition count;
  // `subscriptions`: member id -> topics. Returns every member's partitions
  // (members without any get an empty list).
  virtual std::map<std::string, std::vector<TopicPartition>> assign(
      const std::map<std::string, std::int32_t>& partition_counts,
      const std::map<std::string, std::vector<std::string>>& subscriptions) const = 0;
};

// Kafka's RangeAssignor: per topic, the members subscribed to it sorted by
// member id each take a contiguous range; the first (partitions % members)
// take one more.
std::unique_ptr<ConsumerAssignor> make_range_assignor();
// Kafka's RoundRobinAssignor: every subscribed partition, sorted by topic
// and partition, dealt in turn to the members (sorted by id) subscribed to
// its topic.
std::unique_ptr<ConsumerAssignor> make_round_robin_assignor();
// The assignor with this name; nullptr when unknown.
std::unique_ptr<ConsumerAssignor> make_assignor(std::string_view name);

}  // namespace strata::client
