#pragma once

// The server side of a SCRAM-SHA-256/512 exchange (RFC 5802 §5, RFC 7677):
//
//   expect_client_first --client-first--> expect_client_final --client-final--> done
//          |                                      |
//          +------------- failure ----------------+--> done
//
// Checks: gs2 header without channel binding, authzid empty or the user,
// the stored iterations within 4096-16384, c= equal to the gs2 header, the
// final nonce equal to the server-first one (or the client's nonce followed
// by it, which librdkafka < 2.6.1 sends: it prefixes the server-first nonce
// with its own once more, #4895; the proof still covers the message as
// sent), the proof compared in constant time.
// Unknown users get a fake salt (credential_lookup.h) and fail at the proof,
// like a wrong password. See sasl_server.h for threads.

#include <string>

#include "broker/security/credential_lookup.h"
#include "broker/security/sasl_server.h"
#include "broker/security/scram_crypto.h"
#include "broker/security/scram_messages.h"

namespace strata::broker::security {

class ScramServer final : public SaslServer {
 public:
  // `server_nonce` empty: a fresh random one (tests pass RFC 7677's).
  ScramServer(ScramMechanism mechanism, const SaslContext& context, std::string server_nonce = {});

  SaslStep step(std::string_view client_token) override;
  const std::string& principal() const override { return user_; }

 private:
  enum class State { expect_client_first, expect_client_final, done };
  SaslStep on_client_first(std::string_view token);
  SaslStep on_client_final(std::string_view token);
  SaslStep fail(std::string reason);

  ScramMechanism mechanism_;
  const SaslContext& context_;
  std::string server_nonce_;
  State state_ = State::expect_client_first;
  ClientFirstMessage first_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
  LookedUpCredential credential_;
  std::string user_;
};

}  // namespace strata::broker::security
