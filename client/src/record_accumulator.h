#pragma once

// Collects sent records into per-partition batches until they are ready.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "client/src/producer_batch.h"
#include "common/record.h"
#include "common/record_batch.h"
#include "common/result.h"

namespace strata::client {

// Settings the accumulator needs from ProducerOptions.
struct AccumulatorOptions {
  std::size_t batch_size = 16 * 1024;
  std::size_t buffer_memory = 32 * 1024 * 1024;
  std::size_t max_request_size = 1024 * 1024;
  std::chrono::milliseconds linger{5};
  std::int32_t max_in_flight_per_partition = 32;  // ProducerOptions' default
  Compression compression = Compression::none;
};

// The record to append, borrowed for the call.
struct AppendRequest {
  std::string_view topic;
  // nullopt: the sticky partition of a null key.
  std::optional<std::int32_t> partition;
  std::int32_t partition_count = 1;
  std::int64_t timestamp_ms = -1;
  std::optional<ByteSpan> key;
  std::optional<ByteSpan> value;
  std::span<const RecordHeader> headers;
  SteadyClock::time_point delivery_deadline;
};

// The producer's record buffer: per-partition queues of batches, bounded by
// buffer_memory. send() threads append (blocking while the buffer is full);
// the sender thread drains ready batches and gives them back with
// complete() or reenqueue(). Thread-safe; owned by Producer::Impl.
//
// Null-key records use Kafka's sticky partitioner: they stay on one
// partition of their topic until its open batch is drained or full, then
// move to another partition chosen at random.
class RecordAccumulator {
 public:
  explicit RecordAccumulator(AccumulatorOptions options);

  // Appends a record to its partition's open batch (opening one when
  // needed), waiting until `block_deadline` for buffer space. Returns the
  // partition used; `callback` then runs exactly once, via complete() or
  // close_and_take_all(). On error `callback` is left untouched: too_large when the record alone
  // exceeds max_request_size or buffer_memory; timed_out when no space came
  // in time; shutting_down after close().
  Result<std::int32_t> append(const AppendRequest& request, DeliveryCallback&& callback,
                              SteadyClock::time_point block_deadline);

  // Removes and returns the batches ready to send at `now`: full, lingered
  // long enough, flushing, or due for retry; at most
  // max_in_flight_per_partition per partition on the wire.
  std::vector<std::unique_ptr<ProducerBatch>> drain(SteadyClock::time_point now);

  // The earliest time a queued batch becomes ready (nullopt: none queued,
  // or every queue is at its in-flight limit).
  std::optional<SteadyClock::time_point> next_ready_time(SteadyClock::time_point now) const;

  // Waits until a batch may be ready, something changed when one will be
  // (a new front batch, a freed in-flight slot, a retry queued, a flush), or
  // `until` passes; the sender then drains and plans its next wait anew.
  void wait_for_work(SteadyClock::time_point until);
  // Wakes wait_for_work() (stop, new connection, ...).
  void wake();

  // A drained batch is done (delivered or failed): frees its memory and
  // in-flight slot. Callers run its callbacks themselves.
  void complete(const ProducerBatch& batch);
  // A drained batch goes back to its queue, ahead of every batch first
  // drained after it, to be drained again at batch.retry_at: a partition's
  // batches are resent in the order they were first sent.
  void reenqueue(std::unique_ptr<ProducerBatch> batch);

  // While a flush is on, every batch is ready at once.
  void begin_flush();
  void end_flush();
  // Waits until every appended batch completed, or until `until`.
  bool wait_all_complete(SteadyClock::time_point until);

  // Refuses further appends and returns every queued batch (not the
  // in-flight ones) for the caller to fail.
  std::vector<std::unique_ptr<ProducerBatch>> close_and_take_all();

  std::size_t buffered_bytes() const;
  std::size_t incomplete_batches() const;

 private:
  using PartitionKey = std::pair<std::string, std::int32_t>;
  struct PartitionQueue {
    std::deque<std::unique_ptr<ProducerBatch>> batches;
    std::int32_t in_flight = 0;
  };

  std::int32_t choose_partition(const AppendRequest& request, std::size_t record_bytes);
  bool open_batch_has_room(const PartitionKey& key, std::size_t record_bytes) const;
  bool is_ready(const PartitionQueue& queue, SteadyClock::time_point now) const;
  std::optional<SteadyClock::time_point> ready_time(const PartitionQueue& queue) const;
  // Ends wait_for_work() until the next drain(). Requires mu_ held.
  void signal_work_locked();

  const AccumulatorOptions options_;
  mutable std::mutex mu_;
  std::condition_variable space_cv_;  // buffer space freed, or closed
  std::condition_variable work_cv_;   // a batch may be ready
  std::condition_variable done_cv_;   // a batch completed
  std::map<PartitionKey, PartitionQueue> queues_;  // guarded by mu_
  std::map<std::string, std::int32_t, std::less<>> sticky_;  // guarded by mu_
  std::minstd_rand random_;                        // guarded by mu_
  std::size_t used_bytes_ = 0;                     // guarded by mu_
  std::uint64_t send_counter_ = 0;                 // guarded by mu_: last send_order given
  std::size_t incomplete_ = 0;                     // guarded by mu_
  std::int32_t flushing_ = 0;                      // guarded by mu_
  bool woken_ = false;                             // guarded by mu_
  bool closed_ = false;                            // guarded by mu_
};

}  // namespace strata::client
