#pragma once

// The server side of SASL PLAIN (RFC 4616): one client token
// "authzid NUL user NUL password", verified against the user's SCRAM record
// (SCRAM-SHA-256 if the user has one, else SCRAM-SHA-512) by recomputing
// StoredKey with PBKDF2, so no password is ever stored. authzid must be
// empty or the user. Unknown users cost the same PBKDF2 as known ones.
// See sasl_server.h for threads (PBKDF2: never on a network thread).

#include <string>

#include "broker/security/sasl_server.h"

namespace strata::broker::security {

class PlainServer final : public SaslServer {
 public:
  explicit PlainServer(const SaslContext& context) : context_(context) {}

  SaslStep step(std::string_view client_token) override;
  const std::string& principal() const override { return user_; }

 private:
  const SaslContext& context_;
  bool is_done_ = false;
  std::string user_;
};

}  // namespace strata::broker::security
