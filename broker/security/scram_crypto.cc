#include "broker/security/scram_crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "common/status.h"

namespace strata::broker::security {
namespace {

const EVP_MD* digest(ScramMechanism mechanism) {
  return mechanism == ScramMechanism::sha256 ? EVP_sha256() : EVP_sha512();
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

std::string_view mechanism_name(ScramMechanism mechanism) {
  return mechanism == ScramMechanism::sha256 ? "SCRAM-SHA-256" : "SCRAM-SHA-512";
}

std::optional<ScramMechanism> scram_mechanism_from_name(std::string_view name) {
  if (name == "SCRAM-SHA-256") return ScramMechanism::sha256;
  if (name == "SCRAM-SHA-512") return ScramMechanism::sha512;
  return std::nullopt;
}

std::size_t digest_bytes(ScramMechanism mechanism) {
  return mechanism == ScramMechanism::sha256 ? 32 : 64;
}

std::string scram_hash(ScramMechanism mechanism, std::string_view data) {
  std::string out(digest_bytes(mechanism), '\0');
  unsigned int n = 0;
  const int rc = EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()),
                            &n, digest(mechanism), nullptr);
  STRATA_CHECK(rc == 1 && n == out.size(), "EVP_Digest failed");
  return out;
}

std::string scram_hmac(ScramMechanism mechanism, std::string_view key, std::string_view data) {
  std::string out(digest_bytes(mechanism), '\0');
  unsigned int n = 0;
  const unsigned char* rc =
      HMAC(digest(mechanism), key.data(), static_cast<int>(key.size()), bytes_of(data),
           data.size(), reinterpret_cast<unsigned char*>(out.data()), &n);
  STRATA_CHECK(rc != nullptr && n == out.size(), "HMAC failed");
  return out;
}

std::string salted_password(ScramMechanism mechanism, std::string_view password,
                            std::string_view salt, std::int32_t iterations) {
  std::string out(digest_bytes(mechanism), '\0');
  const int rc = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                                   bytes_of(salt), static_cast<int>(salt.size()), iterations,
                                   digest(mechanism), static_cast<int>(out.size()),
                                   reinterpret_cast<unsigned char*>(out.data()));
  STRATA_CHECK(rc == 1, "PKCS5_PBKDF2_HMAC failed");
  return out;
}

Result<ScramCredential> make_scram_credential(ScramMechanism mechanism, const Secret& password,
                                              std::string salt, std::int32_t iterations) {
  if (iterations < kMinScramIterations || iterations > kMaxScramIterations) {
    return invalid_argument_error("scram: iterations " + std::to_string(iterations) +
                                  " outside 4096-16384");
  }
  if (salt.empty()) return invalid_argument_error("scram: empty salt");
  const Secret salted(salted_password(mechanism, password.reveal(), salt, iterations));
  ScramCredential c;
  c.mechanism = mechanism;
  c.iterations = iterations;
  c.stored_key = scram_hash(mechanism, scram_hmac(mechanism, salted.reveal(), "Client Key"));
  c.server_key = scram_hmac(mechanism, salted.reveal(), "Server Key");
  c.salt = std::move(salt);
  return c;
}

Result<ScramCredential> make_scram_credential(ScramMechanism mechanism, const Secret& password,
                                              std::int32_t iterations) {
  return make_scram_credential(mechanism, password, random_bytes(kScramSaltBytes), iterations);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  const int rc = RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  STRATA_CHECK(rc == 1, "RAND_bytes failed");
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(bytes),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    if (!is_base64_char(text[i])) return std::nullopt;
  }
  std::string out(3 * (text.size() / 4), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(text),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace strata::broker::security
