#pragma once

// The SASL state of one Kafka connection on a SASL_PLAINTEXT listener, as
// Kafka's SaslServerAuthenticator keeps it:
//
//   handshake --SaslHandshake v0--> raw_tokens ------------+
//   (ApiVersions ok) --SaslHandshake v1--> authenticate ---+--success--> complete
//                                                          +--failure--> (closed)
//
// Before `complete` only ApiVersions (in `handshake`), SaslHandshake and
// SaslAuthenticate are served; anything else closes the connection, and the
// API key is checked before the body is parsed. After SaslHandshake v0 each
// frame is a raw token without a request header (kafka-python), answered as
// a raw size-prefixed token; after v1 tokens ride in SaslAuthenticate.
//
// Owned by a Connection; state() and the answers are used on its reactor
// thread, while server() runs on the pool (the connection reads nothing
// until the step is answered, so the two never overlap).

#include <memory>
#include <string>

#include "broker/kafka/handlers/handler_context.h"
#include "broker/kafka/protocol/header.h"
#include "broker/kafka/protocol/sasl_handshake.h"
#include "broker/kafka/server/kafka_server_options.h"
#include "broker/security/sasl_server.h"

namespace strata::broker::kafka {

class SaslAuthenticator {
 public:
  enum class State { handshake, raw_tokens, authenticate, complete };

  explicit SaslAuthenticator(const KafkaServerOptions& options) : options_(options) {}

  State state() const { return state_; }
  bool is_complete() const { return state_ == State::complete; }

  // Answers SaslHandshake: picks the mechanism and moves on, or answers
  // UNSUPPORTED_SASL_MECHANISM (33) / ILLEGAL_SASL_STATE (34) and closes.
  Reply handshake(const strata::kafka::RequestHeader& header,
                  const strata::kafka::SaslHandshakeRequest& request);
  // The exchange to feed the next token to (on the pool). Requires: state()
  // is raw_tokens or authenticate.
  std::shared_ptr<security::SaslServer> server() const { return server_; }
  // The answer to a token's step; `header` is null for a raw (v0) token.
  // A success moves to complete; a failure answers SASL_AUTHENTICATION_FAILED
  // (58) with a generic message (v1) or nothing (v0), and closes.
  Reply answer(const strata::kafka::RequestHeader* header, const security::SaslStep& step);
  // SaslAuthenticate outside `authenticate`: ILLEGAL_SASL_STATE, then a close.
  static Reply illegal_state(const strata::kafka::RequestHeader& header);

  const std::string& mechanism_name() const { return mechanism_name_; }

 private:
  const KafkaServerOptions& options_;
  State state_ = State::handshake;
  std::shared_ptr<security::SaslServer> server_;
  std::string mechanism_name_;
};

}  // namespace strata::broker::kafka
