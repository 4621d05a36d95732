#include "broker/kafka/server/sasl_authenticator.h"

#include "broker/kafka/protocol/error_code.h"
#include "broker/kafka/protocol/frame.h"
#include "broker/kafka/protocol/response.h"
#include "broker/kafka/protocol/sasl_authenticate.h"

namespace strata::broker::kafka {
namespace {

using namespace ::strata::kafka;

// Generic on purpose: it must not tell a wrong password from an unknown user.
constexpr const char* kFailedMessage = "Authentication failed: invalid credentials";

template <typename Body>
Reply encode(const RequestHeader& header, const Body& body, bool close) {
  Reply reply;
  const Status st =
      append_response(reply.frame, header.correlation_id, header.api_version, body);
  if (!st.ok()) reply.frame.clear();
  reply.close = close || !st.ok();
  return reply;
}

// A v0 token: its size, then its bytes (no response header).
Reply raw_token(std::string_view token) {
  Reply reply;
  const std::size_t start = begin_frame(reply.frame);
  append(reply.frame, as_bytes(token));
  if (!finish_frame(reply.frame, start).ok()) return Reply{{}, false, true};
  return reply;
}

}  // namespace

Reply SaslAuthenticator::handshake(const RequestHeader& header,
                                   const SaslHandshakeRequest& request) {
  SaslHandshakeResponse response;
  for (const security::SaslMechanism m : options_.sasl_mechanisms) {
    response.mechanisms.emplace_back(security::sasl_mechanism_name(m));
  }
  if (state_ != State::handshake) {
    response.error_code = to_int(KafkaError::illegal_sasl_state);
    return encode(header, response, true);
  }
  const auto mechanism = security::sasl_mechanism_from_name(request.mechanism);
  bool is_enabled = false;
  for (const security::SaslMechanism m : options_.sasl_mechanisms) {
    is_enabled = is_enabled || (mechanism && m == *mechanism);
  }
  if (!is_enabled) {
    response.error_code = to_int(KafkaError::unsupported_sasl_mechanism);
    return encode(header, response, true);
  }
  server_ = security::make_sasl_server(*mechanism, *options_.sasl);
  mechanism_name_ = request.mechanism;
  state_ = header.api_version == 0 ? State::raw_tokens : State::authenticate;
  return encode(header, response, false);
}

Reply SaslAuthenticator::answer(const RequestHeader* header, const security::SaslStep& step) {
  const bool failed = step.outcome == security::SaslStep::Outcome::failure;
  if (step.outcome == security::SaslStep::Outcome::success) state_ = State::complete;
  if (header == nullptr) {
    // v0 has no error channel: a failure is a closed connection (Kafka).
    return failed ? Reply{{}, false, true} : raw_token(step.token);
  }
  SaslAuthenticateResponse response;
  if (failed) {
    response.error_code = to_int(KafkaError::sasl_authentication_failed);
    response.error_message = kFailedMessage;
  } else {
    response.auth_bytes = to_buffer(step.token);
  }
  return encode(*header, response, failed);
}

Reply SaslAuthenticator::illegal_state(const RequestHeader& header) {
  SaslAuthenticateResponse response;
  response.error_code = to_int(KafkaError::illegal_sasl_state);
  response.error_message = "SaslAuthenticate before SaslHandshake";
  return encode(header, response, true);
}

}  // namespace strata::broker::kafka
