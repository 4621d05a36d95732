#pragma once

// The records applications hand to a Producer and get from a Consumer.
// Keys, values and header values are binary-safe std::strings; nullopt is a
// null (absent) key or value, distinct from an empty one.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.h"

namespace strata::client {

// One record header (Kafka's Header): a key and a value that may be null.
struct Header {
  std::string key;
  std::optional<std::string> value;

  bool operator==(const Header&) const = default;
};

// A record to send. Unset `partition`: chosen by key (murmur2, as Kafka's
// default partitioner does) or, for a null key, by the sticky partitioner.
// Unset `timestamp_ms`: the time of send().
struct ProducerRecord {
  std::string topic;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<Header> headers;
  std::optional<std::int32_t> partition;
  std::optional<std::int64_t> timestamp_ms;
};

// Where a sent record landed.
struct RecordMetadata {
  std::string topic;
  PartitionId partition;
  // The record's offset; -1 with acks none (the broker does not answer).
  Offset offset{-1};
  // The record's timestamp: its create time, or the broker's append time when
  // the topic uses LogAppendTime.
  std::int64_t timestamp_ms = -1;
};

// A record as a consumer receives it.
struct ConsumerRecord {
  std::string topic;
  PartitionId partition;
  Offset offset;
  std::int64_t timestamp_ms = -1;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<Header> headers;

  bool operator==(const ConsumerRecord&) const = default;
};

}  // namespace strata::client
