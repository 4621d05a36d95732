#include "client/src/producer_impl.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "client/src/partitioner.h"
#include "client/src/proto_convert.h"

namespace strata::client {

namespace {

AccumulatorOptions accumulator_options(const ProducerOptions& options) {
  AccumulatorOptions out;
  out.batch_size = options.batch_size;
  out.buffer_memory = options.buffer_memory;
  out.max_request_size = options.max_request_size;
  out.linger = std::chrono::milliseconds(std::max(options.linger_ms, 0));
  out.max_in_flight_per_partition = std::max(options.max_in_flight_per_partition, 1);
  out.compression = to_codec(options.compression);
  return out;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<ByteSpan> as_span(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return as_bytes(*s);
}

}  // namespace

Producer::Impl::Impl(ProducerOptions options)
    : options_(std::move(options)),
      is_idempotent_(options_.enable_idempotence && options_.acks != Acks::none),
      pool_(options_.connection),
      metadata_(pool_),
      accumulator_(accumulator_options(options_)),
      sender_([this] { run_sender(); }) {}

Producer::Impl::~Impl() { close(30000); }

void Producer::Impl::send(ProducerRecord record, DeliveryCallback callback) {
  if (is_closed_.load()) {
    callback(Status(ErrorCode::shutting_down, "producer is closed"));
    return;
  }
  auto route = metadata_.route(record.topic);
  if (!route.ok()) {
    callback(route.status());
    return;
  }
  const std::int32_t count = (*route)->partition_count();
  AppendRequest request;
  request.topic = record.topic;
  request.partition_count = count;
  if (record.partition) {
    if (*record.partition < 0 || *record.partition >= count) {
      callback(not_found_error(record.topic + "-" + std::to_string(*record.partition) +
                               ": no such partition (topic has " + std::to_string(count) + ")"));
      return;
    }
    request.partition = *record.partition;
  } else if (record.key) {
    request.partition = partition_for_key(as_bytes(*record.key), count);
  }
  std::vector<RecordHeader> headers;
  headers.reserve(record.headers.size());
  for (auto& header : record.headers) {
    RecordHeader converted{std::move(header.key), std::nullopt};
    if (header.value) converted.value = to_buffer(*header.value);
    headers.push_back(std::move(converted));
  }
  request.headers = headers;
  request.timestamp_ms = record.timestamp_ms.value_or(now_ms());
  request.key = as_span(record.key);
  request.value = as_span(record.value);
  const auto now = SteadyClock::now();
  request.delivery_deadline = now + std::chrono::milliseconds(options_.delivery_timeout_ms);
  auto appended = accumulator_.append(request, std::move(callback),
                                      now + std::chrono::milliseconds(options_.max_block_ms));
  // On error the accumulator left `callback` alone.
  if (!appended.ok()) callback(appended.status());
}

void Producer::Impl::flush() {
  accumulator_.begin_flush();
  (void)accumulator_.wait_all_complete(SteadyClock::time_point::max());
  accumulator_.end_flush();
}

void Producer::Impl::close(std::int32_t timeout_ms) {
  std::lock_guard lock(close_mu_);
  if (!sender_.joinable()) return;
  is_closed_.store(true);
  accumulator_.begin_flush();
  (void)accumulator_.wait_all_complete(SteadyClock::now() +
                                       std::chrono::milliseconds(std::max(timeout_ms, 0)));
  accumulator_.end_flush();
  is_stopping_.store(true);
  accumulator_.wake();
  sender_.join();
}

Result<std::int32_t> Producer::Impl::partition_count(const std::string& topic) {
  STRATA_TRY_ASSIGN(auto route, metadata_.route(topic));
  return route->partition_count();
}

void Producer::Impl::run_sender() {
  // Wakes at least this often to expire requests that got no answer.
  constexpr auto kTick = std::chrono::milliseconds(100);
  while (!is_stopping_.load()) {
    const auto now = SteadyClock::now();
    reap_ended_streams();
    expire_requests(now);
    auto ready = accumulator_.drain(now);
    // One producer id for the whole drain: a partition's batches are stamped
    // in the order they are sent, none skipped for want of an id.
    const Status has_id = is_idempotent_ && !ready.empty() ? ensure_producer_id() : Status();
    for (auto& batch : ready) {
      if (has_id.ok() || batch->base_sequence >= 0) {
        send_batch(std::move(batch));
      } else {
        retry_or_fail(std::move(batch), has_id);
      }
    }
    auto until = SteadyClock::now() + kTick;
    if (auto next = accumulator_.next_ready_time(now); next && *next < until) until = *next;
    accumulator_.wait_for_work(until);
  }
  // Stopping: queued batches fail, streams end (their readers fail what
  // was in flight), and nothing retries any more.
  for (auto& batch : accumulator_.close_and_take_all()) {
    fail(std::move(batch), Status(ErrorCode::shutting_down, "producer closed before sending"));
  }
  for (auto& [address, stream] : streams_) stream->cancel();
  streams_.clear();
}

void Producer::Impl::reap_ended_streams() {
  std::erase_if(streams_, [](const auto& entry) { return entry.second->has_ended(); });
}

void Producer::Impl::expire_requests(SteadyClock::time_point now) {
  const auto timeout = std::chrono::milliseconds(options_.connection.request_timeout_ms);
  std::vector<ProduceStream*> stuck;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, entry] : in_flight_) {
      if (entry.sent_at + timeout <= now) stuck.push_back(entry.stream);
    }
  }
  // Cancelling ends the stream; its reader fails (and retries) what was on it.
  for (ProduceStream* stream : stuck) stream->cancel();
}

Result<ProduceStream*> Producer::Impl::stream_to(const std::string& address) {
  auto it = streams_.find(address);
  if (it != streams_.end() && !it->second->has_ended()) return it->second.get();
  Connection& connection = pool_.get(address);
  if (!connection.may_attempt()) {
    return Status(ErrorCode::unavailable,
                  "broker " + address + " unreachable: backing off before reconnecting");
  }
  STRATA_TRY_ASSIGN(
      auto stream,
      ProduceStream::open(
          connection,
          [this](ProduceStream&, const v1::ProduceResponse& response) { on_response(response); },
          [this](ProduceStream& s, const Status& why) { on_stream_end(s, why); }));
  ProduceStream* raw = stream.get();
  streams_[address] = std::move(stream);
  return raw;
}

void Producer::Impl::send_batch(std::unique_ptr<ProducerBatch> batch) {
  if (SteadyClock::now() >= batch->delivery_deadline) {
    fail(std::move(batch),
         Status(ErrorCode::timed_out, batch->topic + "-" + std::to_string(batch->partition) +
                                          ": not delivered within delivery_timeout_ms " +
                                          std::to_string(options_.delivery_timeout_ms)));
    return;
  }
  if (batch->encoded.empty()) {
    auto encoded = batch->builder.build();
    if (!encoded.ok()) {
      fail(std::move(batch), encoded.status());
      return;
    }
    batch->encoded = std::move(encoded).value();
  }
  if (is_idempotent_ && batch->base_sequence < 0) sequences_.stamp(*batch);
  auto stream = stream_to(metadata_.leader_address(batch->topic, batch->partition));
  if (!stream.ok()) {
    retry_or_fail(std::move(batch), stream.status());
    return;
  }
  v1::ProduceRequest request;
  const std::uint64_t id = next_correlation_id_.fetch_add(1);
  request.set_correlation_id(id);
  request.set_topic(batch->topic);
  request.set_partition(batch->partition);
  request.set_acks(to_proto(options_.acks));
  request.set_timeout_ms(options_.connection.request_timeout_ms);
  request.mutable_records()->set_batches(reinterpret_cast<const char*>(batch->encoded.data()),
                                         batch->encoded.size());
  if (options_.acks == Acks::none) {
    // The broker never answers acks=0: written is as good as it gets.
    if ((*stream)->write(request)) {
      succeed(std::move(batch), -1, -1);
    } else {
      retry_or_fail(std::move(batch), Status(ErrorCode::unavailable,
                                             "broker " + (*stream)->connection().address() +
                                                 ": produce stream broke"));
    }
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (!(*stream)->has_ended()) {
      in_flight_[id] = InFlight{std::move(batch), *stream, SteadyClock::now()};
    }
  }
  if (batch) {  // the stream ended before the request could go out
    retry_or_fail(std::move(batch), Status(ErrorCode::unavailable,
                                           "broker " + (*stream)->connection().address() +
                                               ": produce stream ended"));
    return;
  }
  // A failed write means the stream broke; its reader fails the request.
  (void)(*stream)->write(request);
}

Status Producer::Impl::ensure_producer_id() {
  if (sequences_.has_producer_id()) return Status();
  const auto now = SteadyClock::now();
  if (now < next_producer_id_attempt_) return producer_id_error_;
  next_producer_id_attempt_ = now + std::chrono::milliseconds(options_.retry_backoff_ms);
  Connection& connection = pool_.bootstrap();
  auto context = connection.unary_context();
  v1::InitProducerIdRequest request;
  v1::InitProducerIdResponse response;
  Status st = connection.check(connection.produce().InitProducerId(context.get(), request, &response));
  if (st.ok()) st = from_proto(response.error());
  if (!st.ok()) {
    producer_id_error_ = st.with_context("idempotent producer: no producer id");
    return producer_id_error_;
  }
  sequences_.set_producer_id(ProducerId(response.producer_id()),
                             static_cast<std::int16_t>(response.producer_epoch()));
  return Status();
}

void Producer::Impl::on_response(const v1::ProduceResponse& response) {
  std::unique_ptr<ProducerBatch> batch;
  {
    std::lock_guard lock(mu_);
    auto it = in_flight_.find(response.correlation_id());
    if (it == in_flight_.end()) return;
    batch = std::move(it->second.batch);
    in_flight_.erase(it);
  }
  const auto& error = response.header().error();
  const bool is_sequence_error =
      error.code() == v1::OUT_OF_ORDER_SEQUENCE || error.code() == v1::INVALID_PRODUCER_EPOCH;
  if (error.code() == v1::NONE) {
    if (batch->base_sequence >= 0) sequences_.acknowledged(*batch);
    succeed(std::move(batch), response.base_offset(), response.log_append_time_ms());
  } else if (is_sequence_error && batch->base_sequence >= 0) {
    // An earlier batch of the partition failed; this one was not written.
    if (sequences_.should_resend_after_sequence_error(*batch)) {
      retry_or_fail(std::move(batch), from_proto(error));
    } else {
      Status why = from_proto(error).with_context(
          batch->topic + "-" + std::to_string(batch->partition) +
          ": not written: an earlier batch failed and this one may not overtake it");
      fail(std::move(batch), why);
    }
  } else if (is_retriable(error.code())) {
    metadata_.invalidate(batch->topic);
    retry_or_fail(std::move(batch), from_proto(error));
  } else {
    fail(std::move(batch), from_proto(error));
  }
}

void Producer::Impl::on_stream_end(ProduceStream& stream, const Status& why) {
  std::vector<std::unique_ptr<ProducerBatch>> lost;
  {
    std::lock_guard lock(mu_);
    for (auto it = in_flight_.begin(); it != in_flight_.end();) {
      if (it->second.stream == &stream) {
        lost.push_back(std::move(it->second.batch));
        it = in_flight_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& batch : lost) {
    metadata_.invalidate(batch->topic);
    retry_or_fail(std::move(batch), why);
  }
  accumulator_.wake();
}

void Producer::Impl::retry_or_fail(std::unique_ptr<ProducerBatch> batch, const Status& why) {
  const auto now = SteadyClock::now();
  const auto backoff = std::chrono::milliseconds(options_.retry_backoff_ms);
  if (!is_stopping_.load() && batch->attempts < options_.retries &&
      now + backoff < batch->delivery_deadline) {
    ++batch->attempts;
    batch->retry_at = now + backoff;
    accumulator_.reenqueue(std::move(batch));
    return;
  }
  fail(std::move(batch), is_stopping_.load() && why.code() != ErrorCode::shutting_down
                             ? why.with_context("producer closed")
                             : why);
}

void Producer::Impl::fail(std::unique_ptr<ProducerBatch> batch, const Status& why) {
  sequences_.failed(*batch);
  for (auto& callback : batch->callbacks) {
    if (callback) callback(why);
  }
  accumulator_.complete(*batch);
}

void Producer::Impl::succeed(std::unique_ptr<ProducerBatch> batch, std::int64_t base_offset,
                             std::int64_t log_append_time_ms) {
  for (std::size_t i = 0; i < batch->callbacks.size(); ++i) {
    RecordMetadata metadata;
    metadata.topic = batch->topic;
    metadata.partition = PartitionId(batch->partition);
    metadata.offset = Offset(base_offset < 0 ? -1 : base_offset + static_cast<std::int64_t>(i));
    metadata.timestamp_ms = log_append_time_ms >= 0 ? log_append_time_ms : batch->timestamps_ms[i];
    if (batch->callbacks[i]) batch->callbacks[i](std::move(metadata));
  }
  accumulator_.complete(*batch);
}

}  // namespace strata::client
