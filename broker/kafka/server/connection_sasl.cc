// Connection: the frames of a SASL_PLAINTEXT connection before it has
// authenticated (sasl_authenticator.h has the state machine).
#include <utility>

#include <asio/post.hpp>

#include "broker/kafka/protocol/request.h"
#include "broker/kafka/server/connection.h"
#include "broker/logger.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

bool Connection::handle_unauthenticated(const RequestHeader& header, const Buffer& frame,
                                        std::size_t body_offset) {
  const std::int16_t key = header.api_key;
  // Dispatch on the key before parsing a body (Kafka, CVE-2022-34917).
  if (key == to_int(ApiKey::api_versions) &&
      sasl_->state() == SaslAuthenticator::State::handshake) {
    return true;
  }
  const bool is_handshake = key == to_int(ApiKey::sasl_handshake);
  if ((!is_handshake && key != to_int(ApiKey::sasl_authenticate)) ||
      !is_advertised(key, header.api_version)) {
    logger()->debug("kafka: closing connection {}: {} v{} before authentication", peer_host_,
                    api_name(key), header.api_version);
    close();
    return false;
  }
  auto body = decode_request_body(header, ByteSpan(frame).subspan(body_offset));
  if (!body.ok()) {
    logger()->debug("kafka: closing connection {}: {}", peer_host_, body.status().to_string());
    close();
    return false;
  }
  if (is_handshake) {
    const std::uint64_t seq = push_slot(0);
    const Reply reply = sasl_->handshake(header, std::get<SaslHandshakeRequest>(*body));
    if (reply.close) {
      should_linger_before_close_ = true;
      logger()->debug("kafka: closing connection {}: SaslHandshake refused mechanism {}",
                      peer_host_, std::get<SaslHandshakeRequest>(*body).mechanism);
    }
    on_reply(seq, reply);
    return false;
  }
  if (sasl_->state() != SaslAuthenticator::State::authenticate) {
    const std::uint64_t seq = push_slot(0);
    should_linger_before_close_ = true;
    on_reply(seq, SaslAuthenticator::illegal_state(header));
    return false;
  }
  const Buffer& token = std::get<SaslAuthenticateRequest>(*body).auth_bytes;
  start_sasl_step(Secret(std::string(as_string_view(token))), header);
  return false;
}

void Connection::close_when_written() {
  if (is_lingering_ || closed_) return;
  if (!should_linger_before_close_) return close();
  is_lingering_ = true;
  sasl_failure_delay_.expires_after(options_.sasl_failure_delay);
  sasl_failure_delay_.async_wait([self = shared_from_this()](std::error_code) { self->close(); });
}

void Connection::start_sasl_step(Secret token, std::optional<RequestHeader> header) {
  const std::uint64_t seq = push_slot(0);
  is_sasl_step_running_ = true;
  std::weak_ptr<Connection> weak = weak_from_this();
  // PBKDF2 (PLAIN) and the credential read take milliseconds: on the pool.
  asio::post(ctx_.pool, [weak, executor = socket_.get_executor(), server = sasl_->server(), seq,
                         token = std::move(token), header = std::move(header)]() mutable {
    security::SaslStep step = server->step(token.reveal());
    asio::post(executor, [weak, seq, header = std::move(header), step = std::move(step)] {
      if (auto self = weak.lock()) self->on_sasl_step(seq, header, step);
    });
  });
}

void Connection::on_sasl_step(std::uint64_t seq, const std::optional<RequestHeader>& header,
                              const security::SaslStep& step) {
  if (closed_) return;
  Reply reply = sasl_->answer(header ? &*header : nullptr, step);
  if (step.outcome != security::SaslStep::Outcome::failure) {
    is_sasl_step_running_ = false;
    if (sasl_->is_complete()) {
      logger()->info("kafka: {} authenticated user={} mechanism={}", peer_host_,
                     sasl_->server()->principal(), sasl_->mechanism_name());
    }
    on_reply(seq, std::move(reply));
    return resume_reading();
  }
  // Reading stays paused: the connection closes once the answer is out.
  should_linger_before_close_ = header.has_value();
  logger()->info("kafka: {} authentication failed mechanism={}", peer_host_,
                 sasl_->mechanism_name());
  logger()->debug("kafka: {} authentication failure: {}", peer_host_, step.reason);
  sasl_failure_delay_.expires_after(options_.sasl_failure_delay);
  sasl_failure_delay_.async_wait(
      [self = shared_from_this(), seq, reply = std::move(reply)](std::error_code) mutable {
        self->on_reply(seq, std::move(reply));
      });
}

}  // namespace strata::broker::kafka
