#include "broker/security/scram_server.h"

#include <utility>

namespace strata::broker::security {
namespace {

constexpr std::size_t kServerNonceBytes = 24;

std::string xor_bytes(std::string_view a, std::string_view b) {
  std::string out(a);
  for (std::size_t i = 0; i < out.size() && i < b.size(); ++i) {
    out[i] = static_cast<char>(out[i] ^ b[i]);
  }
  return out;
}

}  // namespace

ScramServer::ScramServer(ScramMechanism mechanism, const SaslContext& context,
                         std::string server_nonce)
    : mechanism_(mechanism), context_(context), server_nonce_(std::move(server_nonce)) {
  // base64 of random bytes is printable and free of ',': a valid nonce.
  if (server_nonce_.empty()) server_nonce_ = base64_encode(random_bytes(kServerNonceBytes));
}

SaslStep ScramServer::step(std::string_view client_token) {
  switch (state_) {
    case State::expect_client_first:
      return on_client_first(client_token);
    case State::expect_client_final:
      return on_client_final(client_token);
    case State::done:
      break;
  }
  return fail("scram: exchange already finished");
}

SaslStep ScramServer::fail(std::string reason) {
  state_ = State::done;
  return SaslStep{SaslStep::Outcome::failure, {}, std::move(reason)};
}

SaslStep ScramServer::on_client_first(std::string_view token) {
  auto first = parse_client_first(token);
  if (!first.ok()) return fail(first.status().message());
  first_ = std::move(first).value();
  // CVE-2017-12610: no acting as someone else through the authzid.
  if (!first_.authzid.empty() && first_.authzid != first_.user) {
    return fail("scram: authzid differs from the user");
  }
  auto looked_up = look_up_credential(context_, first_.user, mechanism_);
  if (!looked_up.ok()) return fail("scram: credential lookup: " + looked_up.status().to_string());
  credential_ = std::move(looked_up).value();
  nonce_ = first_.nonce + server_nonce_;
  server_first_ = "r=" + nonce_ + ",s=" + base64_encode(credential_.credential.salt) +
                  ",i=" + std::to_string(credential_.credential.iterations);
  state_ = State::expect_client_final;
  return SaslStep{SaslStep::Outcome::challenge, server_first_, {}};
}

SaslStep ScramServer::on_client_final(std::string_view token) {
  auto final_message = parse_client_final(token);
  if (!final_message.ok()) return fail(final_message.status().message());
  const ClientFinalMessage& fin = *final_message;
  if (fin.channel_binding != first_.gs2_header) {
    return fail("scram: c= differs from the gs2 header");
  }
  // CVE-2024-56128: the nonce must be the one this exchange issued.
  if (fin.nonce != nonce_ && fin.nonce != first_.nonce + nonce_) {
    return fail("scram: nonce differs from the server-first nonce");
  }
  const ScramCredential& cred = credential_.credential;
  const std::string auth_message = first_.bare + "," + server_first_ + "," + fin.without_proof;
  const std::string client_signature = scram_hmac(mechanism_, cred.stored_key, auth_message);
  if (fin.proof.size() != client_signature.size()) return fail("scram: proof has the wrong length");
  const std::string client_key = xor_bytes(fin.proof, client_signature);
  const bool proof_matches =
      constant_time_equal(scram_hash(mechanism_, client_key), cred.stored_key);
  if (!proof_matches || !credential_.is_real) return fail("scram: bad proof or unknown user");
  state_ = State::done;
  user_ = first_.user;
  return SaslStep{SaslStep::Outcome::success,
                  "v=" + base64_encode(scram_hmac(mechanism_, cred.server_key, auth_message)), {}};
}

}  // namespace strata::broker::security
