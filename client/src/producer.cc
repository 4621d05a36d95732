#include <strata/producer.h>

#include <string>

#include "client/src/producer_impl.h"

namespace strata::client {

Result<std::unique_ptr<Producer>> Producer::create(ProducerOptions options) {
  if (options.connection.bootstrap.empty()) {
    return invalid_argument_error("producer: bootstrap address is empty");
  }
  if (options.batch_size == 0 || options.buffer_memory == 0 || options.max_request_size == 0) {
    return invalid_argument_error(
        "producer: batch_size, buffer_memory and max_request_size must be positive");
  }
  if (options.enable_idempotence && options.acks != Acks::none &&
      options.max_in_flight_per_partition > kMaxInFlightIdempotent) {
    return invalid_argument_error(
        "producer: max_in_flight_per_partition " +
        std::to_string(options.max_in_flight_per_partition) + " is above " +
        std::to_string(kMaxInFlightIdempotent) +
        " with enable_idempotence (the broker recognises only that many resent batches)");
  }
  return std::unique_ptr<Producer>(new Producer(std::make_unique<Impl>(std::move(options))));
}

Producer::Producer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Producer::~Producer() = default;

std::future<Result<RecordMetadata>> Producer::send(ProducerRecord record) {
  auto promise = std::make_shared<std::promise<Result<RecordMetadata>>>();
  auto future = promise->get_future();
  impl_->send(std::move(record),
              [promise](Result<RecordMetadata> result) { promise->set_value(std::move(result)); });
  return future;
}

void Producer::send(ProducerRecord record, DeliveryCallback callback) {
  impl_->send(std::move(record), std::move(callback));
}

std::future<Result<RecordMetadata>> Producer::send(std::string topic,
                                                   std::optional<std::string> key,
                                                   std::optional<std::string> value,
                                                   std::vector<Header> headers) {
  return send(ProducerRecord{std::move(topic), std::move(key), std::move(value),
                             std::move(headers), std::nullopt, std::nullopt});
}

void Producer::send(std::string topic, std::optional<std::string> key,
                    std::optional<std::string> value, std::vector<Header> headers,
                    DeliveryCallback callback) {
  send(ProducerRecord{std::move(topic), std::move(key), std::move(value), std::move(headers),
                      std::nullopt, std::nullopt},
       std::move(callback));
}

void Producer::flush() { impl_->flush(); }

void Producer::close(std::int32_t timeout_ms) { impl_->close(timeout_ms); }

Result<std::int32_t> Producer::partition_count(const std::string& topic) {
  return impl_->partition_count(topic);
}

}  // namespace strata::client
