#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace strata {

// A number with a meaning. Two StrongInts with different tags do not mix, so
// passing a leader epoch where an offset is expected does not compile.
template <typename Tag, typename Rep>
class StrongInt {
 public:
  using rep = Rep;
  constexpr StrongInt() = default;
  constexpr explicit StrongInt(Rep value) : value_(value) {}
  constexpr Rep value() const { return value_; }
  constexpr auto operator<=>(const StrongInt&) const = default;

 private:
  Rep value_{};
};

// A position in a partition's log. Offsets are dense: each record has one.
// Arithmetic is limited to moving by a count of records.
class Offset : public StrongInt<struct OffsetTag, std::int64_t> {
 public:
  using StrongInt::StrongInt;
  constexpr Offset operator+(std::int64_t records) const { return Offset(value() + records); }
  constexpr Offset operator-(std::int64_t records) const { return Offset(value() - records); }
  constexpr std::int64_t operator-(Offset other) const { return value() - other.value(); }
  constexpr Offset& operator+=(std::int64_t records) { return *this = *this + records; }
};

using LeaderEpoch = StrongInt<struct LeaderEpochTag, std::int32_t>;
using ProducerId = StrongInt<struct ProducerIdTag, std::int64_t>;
using BrokerId = StrongInt<struct BrokerIdTag, std::int32_t>;
using PartitionId = StrongInt<struct PartitionIdTag, std::int32_t>;
using GroupGeneration = StrongInt<struct GroupGenerationTag, std::int32_t>;

// A topic and one of its partitions; prints as "orders-3".
struct TopicPartition {
  std::string topic;
  PartitionId partition;

  auto operator<=>(const TopicPartition&) const = default;
  std::string to_string() const { return topic + "-" + std::to_string(partition.value()); }
};

}  // namespace strata

template <typename Tag, typename Rep>
struct std::hash<strata::StrongInt<Tag, Rep>> {
  std::size_t operator()(strata::StrongInt<Tag, Rep> id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};

template <>
struct std::hash<strata::Offset> {
  std::size_t operator()(strata::Offset o) const noexcept { return std::hash<std::int64_t>{}(o.value()); }
};

template <>
struct std::hash<strata::TopicPartition> {
  std::size_t operator()(const strata::TopicPartition& tp) const noexcept {
    return std::hash<std::string>{}(tp.topic) * 31 + static_cast<std::size_t>(tp.partition.value());
  }
};
