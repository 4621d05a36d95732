#pragma once

// A tiny blocking Kafka client for integration tests: one loopback socket,
// requests encoded with the codec's append_request, responses decoded with
// decode_response. Also sends raw bytes, for the bad-input tests.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "broker/kafka/protocol/request.h"
#include "broker/kafka/protocol/response.h"
#include "common/bytes.h"

namespace strata::testing {

// One connection to a broker's Kafka port. Owned by one test thread.
class KafkaClient {
 public:
  KafkaClient() = default;
  ~KafkaClient();
  KafkaClient(const KafkaClient&) = delete;
  KafkaClient& operator=(const KafkaClient&) = delete;

  // Connects to "HOST:PORT"; false when it cannot.
  bool connect(const std::string& address);
  void close();

  // Sends one request (correlation id = next_correlation_id()); false when
  // encoding or sending fails.
  template <typename Body>
  bool send(std::int16_t version, const Body& body, std::int32_t correlation_id) {
    kafka::RequestHeader header;
    header.api_key = kafka::to_int(Body::kApiKey);
    header.api_version = version;
    header.correlation_id = correlation_id;
    header.client_id = "strata-test";
    Buffer out;
    if (!kafka::append_request(out, header, kafka::RequestBody(body)).ok()) return false;
    return send_raw(out);
  }
  bool send_raw(ByteSpan bytes);
  // Sends without blocking; returns how many bytes went out.
  std::size_t send_some(ByteSpan bytes);
  // Half-closes the sending side (the broker sees end of stream).
  void shutdown_write();

  // The next response frame's payload (without the size), or nullopt on
  // end of stream, error or timeout.
  std::optional<Buffer> read_frame(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads and decodes the answer to a request of `Body`'s API at `version`.
  template <typename Response>
  std::optional<std::pair<std::int32_t, Response>> read_response(
      std::int16_t version, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto frame = read_frame(timeout);
    if (!frame) return std::nullopt;
    frames_.push_back(std::move(*frame));  // decoded records borrow it
    auto decoded = kafka::decode_response(kafka::to_int(Response::kApiKey), version, frames_.back());
    if (!decoded.ok()) return std::nullopt;
    auto* body = std::get_if<Response>(&decoded->body);
    if (body == nullptr) return std::nullopt;
    return std::make_pair(decoded->correlation_id, std::move(*body));
  }
  // send + read_response, for one request in flight.
  template <typename Response, typename Body>
  std::optional<Response> call(std::int16_t version, const Body& body,
                               std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const std::int32_t id = next_correlation_id_++;
    if (!send(version, body, id)) return std::nullopt;
    auto answer = read_response<Response>(version, timeout);
    if (!answer || answer->first != id) return std::nullopt;
    return std::move(answer->second);
  }
  // True once the broker closed the connection (reading, and discarding,
  // whatever it still sends) within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  int fd_ = -1;
  std::int32_t next_correlation_id_ = 1;
  std::vector<Buffer> frames_;
};

}  // namespace strata::testing
