#pragma once

// Request builders shared by the Kafka integration tests.

#include <cstdint>
#include <string>
#include <vector>

#include "broker/kafka/protocol/error_code.h"
#include "broker/kafka/protocol/messages.h"
#include "common/bytes.h"
#include "common/record_batch_builder.h"

namespace strata::testing {

// A batch of `records` values "<prefix>-<i>" with the given producer fields.
inline Buffer kafka_batch(const std::string& prefix, int records, RecordBatchOptions options = {}) {
  RecordBatchBuilder builder(options);
  for (int i = 0; i < records; ++i) {
    const std::string value = prefix + "-" + std::to_string(i);
    (void)builder.append(1700000000000 + i, std::nullopt, as_bytes(value));
  }
  return builder.build().value();
}

inline kafka::ProduceRequest produce_one(const std::string& topic, std::int32_t partition,
                                         const Buffer& batch, std::int16_t acks = -1) {
  kafka::ProduceRequest request;
  request.acks = acks;
  request.timeout_ms = 10000;
  kafka::ProduceRequest::Topic& t = request.topic_data.emplace_back();
  t.name = topic;
  t.partition_data.push_back({partition, kafka::Records::of(ByteSpan(batch))});
  return request;
}

inline kafka::FetchRequest fetch_one(const std::string& topic, std::int32_t partition,
                                     std::int64_t offset, std::int32_t max_wait_ms = 0,
                                     std::int32_t min_bytes = 1) {
  kafka::FetchRequest request;
  request.max_wait_ms = max_wait_ms;
  request.min_bytes = min_bytes;
  request.max_bytes = 1 << 20;
  kafka::FetchRequest::Topic& t = request.topics.emplace_back();
  t.topic = topic;
  t.partitions.push_back({partition, -1, offset, -1, 1 << 20});
  return request;
}

inline kafka::CreateTopicsRequest create_one(const std::string& name, std::int32_t partitions) {
  kafka::CreateTopicsRequest request;
  kafka::CreateTopicsRequest::Topic& t = request.topics.emplace_back();
  t.name = name;
  t.num_partitions = partitions;
  t.replication_factor = 1;
  request.timeout_ms = 10000;
  return request;
}

inline std::string bytes_of(const kafka::Records& records) {
  return records.is_null() ? std::string() : std::string(as_string_view(*records.bytes));
}

}  // namespace strata::testing
