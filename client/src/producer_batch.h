#pragma once

// One partition's batch of records on its way from send() to the broker.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <strata/producer.h>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/record_batch_builder.h"

namespace strata::client {

using SteadyClock = std::chrono::steady_clock;

// A batch and the callbacks of its records, in append order. Owned by the
// RecordAccumulator while it fills and waits, then by the sender while it is
// on the wire; never shared by two threads at once.
struct ProducerBatch {
  std::string topic;
  std::int32_t partition = 0;
  RecordBatchBuilder builder;
  // One per record, in offset order.
  std::vector<DeliveryCallback> callbacks;
  std::vector<std::int64_t> timestamps_ms;
  // Buffer memory this batch holds; given back when it completes.
  std::size_t reserved_bytes = 0;
  SteadyClock::time_point created;
  // The first record's delivery deadline (send time + delivery_timeout_ms).
  SteadyClock::time_point delivery_deadline;
  // No more records go in: full, or already drained once.
  bool is_closed = false;
  std::int32_t attempts = 0;
  SteadyClock::time_point retry_at;
  // The encoded (and compressed) batch, built once on its first drain.
  Buffer encoded;
  // Where the batch stands among its partition's batches: given when it is
  // first drained, increasing; a batch sent again goes back to the queue in
  // this order, ahead of the later ones.
  std::uint64_t send_order = 0;
  // Idempotence: set (ProducerSequences::stamp) when the batch is first
  // sent, kept across resends. base_sequence -1: not stamped.
  ProducerId producer_id{-1};
  std::int16_t producer_epoch = -1;
  std::int32_t base_sequence = -1;

  explicit ProducerBatch(RecordBatchOptions options) : builder(options) {}
};

}  // namespace strata::client
