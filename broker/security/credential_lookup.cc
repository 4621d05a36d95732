#include "broker/security/credential_lookup.h"

#include <string>

#include "broker/security/credential_store.h"

namespace strata::broker::security {

ScramCredential fake_credential(const Secret& key, std::string_view user,
                                ScramMechanism mechanism) {
  ScramCredential c;
  c.mechanism = mechanism;
  c.iterations = kMinScramIterations;  // the default of `strata user create`
  const std::string label = std::string(mechanism_name(mechanism)) + '\0' + std::string(user);
  c.salt = scram_hmac(ScramMechanism::sha256, key.reveal(), "salt" + label);
  // Random keys: no proof matches them, whatever the client sends.
  c.stored_key = random_bytes(digest_bytes(mechanism));
  c.server_key = random_bytes(digest_bytes(mechanism));
  return c;
}

Result<LookedUpCredential> look_up_credential(const SaslContext& context, std::string_view user,
                                              ScramMechanism mechanism) {
  STRATA_TRY_ASSIGN(std::optional<ScramCredential> found,
                    context.credentials.find(user, mechanism));
  if (found && found->iterations >= kMinScramIterations &&
      found->iterations <= kMaxScramIterations) {
    return LookedUpCredential{std::move(*found), true};
  }
  return LookedUpCredential{fake_credential(context.fake_salt_key, user, mechanism), false};
}

}  // namespace strata::broker::security
