#pragma once

// Producer: sends records to Strata topics, asynchronously, in batches.

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <strata/options.h>
#include <strata/record.h>

#include "common/result.h"
#include "common/status.h"

namespace strata::client {

// Called once per record with where it landed or why it failed. Runs on the
// producer's I/O thread: it must be quick and must not call flush() or
// close() (send() is fine).
using DeliveryCallback = std::function<void(Result<RecordMetadata>)>;

// A Kafka-style producer. send() puts a record into its partition's batch
// and returns at once; a sender thread ships batches over one pipelined
// Produce stream per broker once linger_ms passes or batch_size fills, and
// retries retriable failures. Thread-safe: any thread may call send(),
// flush() and close(). Owned by the application; the destructor closes.
//
//   auto producer = Producer::create(options).value();
//   producer->send("orders", "key-1", "value", {}, [](Result<RecordMetadata> r) { ... });
//   producer->flush();
class Producer {
 public:
  // Does not contact the broker: errors surface from send(). Fails only with
  // invalid_argument for impossible options (zero batch or buffer size, an
  // empty bootstrap address).
  static Result<std::unique_ptr<Producer>> create(ProducerOptions options);

  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Queues a record. The future (or the callback, exactly once) gives the
  // record's partition and offset, or the error: not_found (unknown topic or
  // partition), too_large (record above max_request_size or buffer_memory),
  // timed_out (no buffer space or metadata within max_block_ms, or no
  // answer within delivery_timeout_ms), unavailable (broker unreachable,
  // naming its address), shutting_down (the producer was closed), or the
  // broker's non-retriable error. May block up to max_block_ms while the
  // buffer is full or the topic's metadata is being fetched.
  std::future<Result<RecordMetadata>> send(ProducerRecord record);
  void send(ProducerRecord record, DeliveryCallback callback);
  std::future<Result<RecordMetadata>> send(std::string topic, std::optional<std::string> key,
                                           std::optional<std::string> value,
                                           std::vector<Header> headers = {});
  void send(std::string topic, std::optional<std::string> key, std::optional<std::string> value,
            std::vector<Header> headers, DeliveryCallback callback);

  // Sends every queued record now (ignoring linger_ms) and waits until each
  // has its outcome. Records sent meanwhile by other threads are included
  // when they arrive before flush() returns.
  void flush();

  // Flushes (up to timeout_ms), then stops the sender and closes the
  // streams. Records still pending after timeout_ms fail with
  // shutting_down. Later send()s fail with shutting_down. Idempotent.
  void close(std::int32_t timeout_ms = 30000);

  // The number of partitions of `topic`, from cached metadata (fetched when
  // missing). Errors: not_found for an unknown topic, unavailable.
  Result<std::int32_t> partition_count(const std::string& topic);

  class Impl;  // client/src/producer_impl.h

 private:
  explicit Producer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::client
