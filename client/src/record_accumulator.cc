#include "client/src/record_accumulator.h"

#include <algorithm>

namespace strata::client {

RecordAccumulator::RecordAccumulator(AccumulatorOptions options)
    : options_(options), random_(std::random_device{}()) {}

bool RecordAccumulator::open_batch_has_room(const PartitionKey& key,
                                            std::size_t record_bytes) const {
  auto it = queues_.find(key);
  if (it == queues_.end() || it->second.batches.empty()) return false;
  const ProducerBatch& open = *it->second.batches.back();
  if (open.is_closed) return false;
  return open.builder.estimated_size_bytes() + record_bytes <= options_.batch_size;
}

std::int32_t RecordAccumulator::choose_partition(const AppendRequest& request,
                                                 std::size_t record_bytes) {
  if (request.partition) return *request.partition;
  const std::int32_t count = std::max(request.partition_count, 1);
  auto it = sticky_.find(request.topic);
  if (it == sticky_.end()) {
    it = sticky_.emplace(std::string(request.topic), -1).first;
  }
  std::int32_t& sticky = it->second;
  const bool is_valid = sticky >= 0 && sticky < count;
  if (is_valid && open_batch_has_room({std::string(request.topic), sticky}, record_bytes)) {
    return sticky;
  }
  // A new batch is needed: move to another partition (Kafka's onNewBatch), so
  // null-key records spread while each batch fills up.
  std::uniform_int_distribution<std::int32_t> pick(0, count - 1);
  std::int32_t next = pick(random_);
  if (is_valid && count > 1 && next == sticky) next = (next + 1) % count;
  sticky = next;
  return sticky;
}

Result<std::int32_t> RecordAccumulator::append(const AppendRequest& request,
                                               DeliveryCallback&& callback,
                                               SteadyClock::time_point block_deadline) {
  static const RecordBatchBuilder kEmpty;
  const std::size_t batch_bytes = kEmpty.estimated_size_with(request.timestamp_ms, request.key,
                                                             request.value, request.headers);
  const std::size_t record_bytes = batch_bytes - batch_layout::kHeaderSize;
  if (batch_bytes > options_.max_request_size) {
    return too_large_error("record of " + std::to_string(batch_bytes) +
                           " bytes is larger than max_request_size " +
                           std::to_string(options_.max_request_size));
  }
  if (batch_bytes > options_.buffer_memory) {
    return too_large_error("record of " + std::to_string(batch_bytes) +
                           " bytes is larger than buffer_memory " +
                           std::to_string(options_.buffer_memory));
  }
  std::unique_lock lock(mu_);
  // Reserve for a whole new batch (header included): the worst case.
  const bool has_space = space_cv_.wait_until(lock, block_deadline, [&] {
    return closed_ || used_bytes_ + batch_bytes <= options_.buffer_memory;
  });
  if (closed_) return Status(ErrorCode::shutting_down, "producer is closed");
  if (!has_space) {
    return Status(ErrorCode::timed_out, "producer buffer full: " + std::to_string(used_bytes_) +
                                            " of " + std::to_string(options_.buffer_memory) +
                                            " bytes waiting to be sent");
  }
  const std::int32_t partition = choose_partition(request, record_bytes);
  PartitionKey key{std::string(request.topic), partition};
  PartitionQueue& queue = queues_[key];
  if (!open_batch_has_room(key, record_bytes)) {
    if (!queue.batches.empty()) queue.batches.back()->is_closed = true;
    RecordBatchOptions batch_options;
    batch_options.compression = options_.compression;
    auto batch = std::make_unique<ProducerBatch>(batch_options);
    batch->topic = key.first;
    batch->partition = partition;
    batch->created = SteadyClock::now();
    batch->delivery_deadline = request.delivery_deadline;
    batch->reserved_bytes = batch_layout::kHeaderSize;
    used_bytes_ += batch_layout::kHeaderSize;
    queue.batches.push_back(std::move(batch));
    ++incomplete_;
    // A new front batch brings a linger deadline the sender has not planned for.
    if (queue.batches.size() == 1) signal_work_locked();
  }
  ProducerBatch& batch = *queue.batches.back();
  STRATA_TRY(batch.builder.append(request.timestamp_ms, request.key, request.value,
                                  request.headers));
  batch.callbacks.push_back(std::move(callback));
  batch.timestamps_ms.push_back(request.timestamp_ms);
  batch.reserved_bytes += record_bytes;
  used_bytes_ += record_bytes;
  if (batch.builder.estimated_size_bytes() >= options_.batch_size) {
    batch.is_closed = true;
    signal_work_locked();
  }
  return partition;
}

bool RecordAccumulator::is_ready(const PartitionQueue& queue, SteadyClock::time_point now) const {
  if (queue.batches.empty() || queue.in_flight >= options_.max_in_flight_per_partition) {
    return false;
  }
  const ProducerBatch& front = *queue.batches.front();
  if (front.attempts > 0) return front.retry_at <= now;
  return front.is_closed || flushing_ > 0 || closed_ || front.created + options_.linger <= now;
}

std::optional<SteadyClock::time_point> RecordAccumulator::ready_time(
    const PartitionQueue& queue) const {
  if (queue.batches.empty() || queue.in_flight >= options_.max_in_flight_per_partition) {
    return std::nullopt;
  }
  const ProducerBatch& front = *queue.batches.front();
  if (front.attempts > 0) return front.retry_at;
  if (front.is_closed || flushing_ > 0 || closed_) return SteadyClock::time_point::min();
  return front.created + options_.linger;
}

std::vector<std::unique_ptr<ProducerBatch>> RecordAccumulator::drain(SteadyClock::time_point now) {
  std::vector<std::unique_ptr<ProducerBatch>> ready;
  std::lock_guard lock(mu_);
  for (auto& [key, queue] : queues_) {
    while (is_ready(queue, now)) {
      auto batch = std::move(queue.batches.front());
      queue.batches.pop_front();
      batch->is_closed = true;
      if (batch->send_order == 0) batch->send_order = ++send_counter_;
      ++queue.in_flight;
      ready.push_back(std::move(batch));
    }
  }
  woken_ = false;
  return ready;
}

std::optional<SteadyClock::time_point> RecordAccumulator::next_ready_time(
    SteadyClock::time_point /*now*/) const {
  std::lock_guard lock(mu_);
  std::optional<SteadyClock::time_point> earliest;
  for (const auto& [key, queue] : queues_) {
    auto at = ready_time(queue);
    if (at && (!earliest || *at < *earliest)) earliest = at;
  }
  return earliest;
}

void RecordAccumulator::wait_for_work(SteadyClock::time_point until) {
  std::unique_lock lock(mu_);
  work_cv_.wait_until(lock, until, [&] {
    if (woken_) return true;
    const auto now = SteadyClock::now();
    for (const auto& [key, queue] : queues_) {
      if (is_ready(queue, now)) return true;
    }
    return false;
  });
}

void RecordAccumulator::wake() {
  std::lock_guard lock(mu_);
  signal_work_locked();
}

void RecordAccumulator::signal_work_locked() {
  woken_ = true;
  work_cv_.notify_all();
}

void RecordAccumulator::complete(const ProducerBatch& batch) {
  std::lock_guard lock(mu_);
  auto it = queues_.find({batch.topic, batch.partition});
  if (it != queues_.end()) {
    --it->second.in_flight;
    if (it->second.in_flight == 0 && it->second.batches.empty()) queues_.erase(it);
  }
  used_bytes_ -= batch.reserved_bytes;
  --incomplete_;
  space_cv_.notify_all();
  signal_work_locked();  // a freed in-flight slot may make a batch sendable
  done_cv_.notify_all();
}

void RecordAccumulator::reenqueue(std::unique_ptr<ProducerBatch> batch) {
  std::lock_guard lock(mu_);
  PartitionQueue& queue = queues_[{batch->topic, batch->partition}];
  --queue.in_flight;
  // Ahead of every batch sent after it (several of a partition may come
  // back, in any order), behind those sent before it.
  auto at = std::find_if(queue.batches.begin(), queue.batches.end(), [&](const auto& queued) {
    return queued->send_order == 0 || queued->send_order > batch->send_order;
  });
  queue.batches.insert(at, std::move(batch));
  signal_work_locked();  // its retry time is new to the sender
}

void RecordAccumulator::begin_flush() {
  std::lock_guard lock(mu_);
  ++flushing_;
  signal_work_locked();
}

void RecordAccumulator::end_flush() {
  std::lock_guard lock(mu_);
  --flushing_;
}

bool RecordAccumulator::wait_all_complete(SteadyClock::time_point until) {
  std::unique_lock lock(mu_);
  return done_cv_.wait_until(lock, until, [&] { return incomplete_ == 0; });
}

std::vector<std::unique_ptr<ProducerBatch>> RecordAccumulator::close_and_take_all() {
  std::vector<std::unique_ptr<ProducerBatch>> taken;
  std::lock_guard lock(mu_);
  closed_ = true;
  for (auto& [key, queue] : queues_) {
    for (auto& batch : queue.batches) {
      ++queue.in_flight;  // complete() gives the slot back
      taken.push_back(std::move(batch));
    }
    queue.batches.clear();
  }
  space_cv_.notify_all();
  signal_work_locked();
  return taken;
}

std::size_t RecordAccumulator::buffered_bytes() const {
  std::lock_guard lock(mu_);
  return used_bytes_;
}

std::size_t RecordAccumulator::incomplete_batches() const {
  std::lock_guard lock(mu_);
  return incomplete_;
}

}  // namespace strata::client
