#pragma once

// The server side of one SASL exchange (RFC 4422), mechanism-agnostic: the
// Kafka listener feeds it the client's tokens and sends back what it says.
// Mechanisms: PLAIN (RFC 4616, checked against the SCRAM record: no
// password is stored) and SCRAM-SHA-256/512 (RFC 5802, RFC 7677).
//
// One exchange per connection; one caller at a time. step() may read the
// CredentialStore and run PBKDF2 (PLAIN): call it on the pool, never on a
// network thread.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secret.h"

namespace strata::broker::security {

class CredentialStore;

enum class SaslMechanism { plain, scram_sha_256, scram_sha_512 };

// Kafka's names: "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512".
std::string_view sasl_mechanism_name(SaslMechanism mechanism);
std::optional<SaslMechanism> sasl_mechanism_from_name(std::string_view name);
// Parses "SCRAM-SHA-256,SCRAM-SHA-512" (comma-separated, no duplicates).
// Errors: invalid_argument naming the unknown or repeated mechanism, or
// when the list is empty.
Result<std::vector<SaslMechanism>> parse_sasl_mechanisms(std::string_view list);

struct SaslStep {
  enum class Outcome {
    challenge,  // send `token`, expect another client token
    success,    // send `token` (may be empty); the client is `principal`
    failure,    // send a generic error; `reason` is for the debug log only
  };
  Outcome outcome = Outcome::failure;
  std::string token;
  std::string reason;
};

// What every exchange needs; outlives the exchanges.
struct SaslContext {
  CredentialStore& credentials;
  // Key of the fake salts given to unknown users (no user enumeration).
  Secret fake_salt_key;
};

class SaslServer {
 public:
  virtual ~SaslServer() = default;
  // Answers the client's next token. After success or failure, do not call
  // again.
  virtual SaslStep step(std::string_view client_token) = 0;
  // The authenticated user name; meaningful after success.
  virtual const std::string& principal() const = 0;
};

std::unique_ptr<SaslServer> make_sasl_server(SaslMechanism mechanism, const SaslContext& context);

}  // namespace strata::broker::security
