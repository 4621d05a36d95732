#pragma once

// The records applications hand to a Producer and get from a Consumer.
// Keys, values and header values are binary-safe bytes (std::string to send,
// std::string_view views when consumed); nullopt is a null (absent) key or
// value, distinct from an empty one.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

// A record as a consumer receives it. Its key and value are views into the
// fetched data, not copies: `data` keeps that data alive, and copies of the
// record share it. Holding a record holds its whole fetch answer (up to the
// consumer's fetch_max_bytes), so copy key and value out (std::string(*value))
// to keep them longer than the records around them.
struct ConsumerRecord {
  std::string topic;
  PartitionId partition;
  Offset offset;
  std::int64_t timestamp_ms = -1;
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  std::vector<Header> headers;
  std::shared_ptr<const void> data;  // what key and value point into

  // Equal content: `data` is not compared.
  bool operator==(const ConsumerRecord& other) const {
    return topic == other.topic && partition == other.partition && offset == other.offset &&
           timestamp_ms == other.timestamp_ms && key == other.key && value == other.value &&
           headers == other.headers;
  }
};

}  // namespace strata::client
