#include "broker/security/plain_server.h"

#include "broker/security/credential_lookup.h"

namespace strata::broker::security {
namespace {

SaslStep failure(std::string reason) {
  return SaslStep{SaslStep::Outcome::failure, {}, std::move(reason)};
}

}  // namespace

SaslStep PlainServer::step(std::string_view client_token) {
  if (std::exchange(is_done_, true)) return failure("plain: exchange already finished");
  const std::size_t first_nul = client_token.find('\0');
  const std::size_t second_nul =
      first_nul == std::string_view::npos ? first_nul : client_token.find('\0', first_nul + 1);
  if (second_nul == std::string_view::npos ||
      client_token.find('\0', second_nul + 1) != std::string_view::npos) {
    return failure("plain: message is not authzid NUL user NUL password");
  }
  const std::string_view authzid = client_token.substr(0, first_nul);
  const std::string_view user = client_token.substr(first_nul + 1, second_nul - first_nul - 1);
  const Secret password(std::string(client_token.substr(second_nul + 1)));
  if (user.empty() || password.empty()) return failure("plain: empty user or password");
  if (!authzid.empty() && authzid != user) return failure("plain: authzid differs from the user");

  auto looked_up = look_up_credential(context_, user, ScramMechanism::sha256);
  if (looked_up.ok() && !looked_up->is_real) {
    looked_up = look_up_credential(context_, user, ScramMechanism::sha512);
  }
  if (!looked_up.ok()) {
    return failure("plain: credential lookup: " + looked_up.status().to_string());
  }
  const ScramCredential& cred = looked_up->credential;
  const Secret salted(
      salted_password(cred.mechanism, password.reveal(), cred.salt, cred.iterations));
  const std::string stored_key =
      scram_hash(cred.mechanism, scram_hmac(cred.mechanism, salted.reveal(), "Client Key"));
  if (!constant_time_equal(stored_key, cred.stored_key) || !looked_up->is_real) {
    return failure("plain: bad password or unknown user");
  }
  user_ = std::string(user);
  return SaslStep{SaslStep::Outcome::success, {}, {}};
}

}  // namespace strata::broker::security
