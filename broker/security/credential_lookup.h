#pragma once

// Looks a user's SCRAM record up, answering unknown users with a fake one
// whose salt is a deterministic HMAC of the name, so that a client learns
// nothing from the salt, the iterations or the timing about which users
// exist. Any thread (reads the store: not on a network thread).

#include <string_view>

#include "broker/security/sasl_server.h"
#include "broker/security/scram_crypto.h"

namespace strata::broker::security {

struct LookedUpCredential {
  ScramCredential credential;
  bool is_real = false;  // false: the fake one; no proof can match it
};

// Errors: the store's read errors (a failed read is not an unknown user).
Result<LookedUpCredential> look_up_credential(const SaslContext& context, std::string_view user,
                                              ScramMechanism mechanism);

// The fake record of an unknown `user` (exposed for its unit test).
ScramCredential fake_credential(const Secret& key, std::string_view user, ScramMechanism mechanism);

}  // namespace strata::broker::security
