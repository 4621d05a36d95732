#pragma once

// The arithmetic of SCRAM (RFC 5802 §3, RFC 7677) on OpenSSL: H, HMAC,
// PBKDF2 (Hi), the credential record a server keeps instead of a password,
// and base64. Pure functions; any thread. PBKDF2 costs milliseconds: never
// call make_scram_credential or salted_password on a network thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/secret.h"

namespace strata::broker::security {

enum class ScramMechanism : std::uint8_t {
  sha256 = 1,  // Kafka's UserScramCredentialRecord mechanism numbers
  sha512 = 2,
};

// "SCRAM-SHA-256" / "SCRAM-SHA-512".
std::string_view mechanism_name(ScramMechanism mechanism);
std::optional<ScramMechanism> scram_mechanism_from_name(std::string_view name);
// Digest length in bytes: 32 or 64.
std::size_t digest_bytes(ScramMechanism mechanism);

// Kafka's ScramMechanism bounds (4096 is RFC 7677's minimum).
inline constexpr std::int32_t kMinScramIterations = 4096;
inline constexpr std::int32_t kMaxScramIterations = 16384;
inline constexpr std::size_t kScramSaltBytes = 32;

// What the server stores for one user and mechanism: never the password.
struct ScramCredential {
  ScramMechanism mechanism = ScramMechanism::sha256;
  std::string salt;        // raw bytes
  std::string stored_key;  // H(ClientKey)
  std::string server_key;  // HMAC(SaltedPassword, "Server Key")
  std::int32_t iterations = kMinScramIterations;
  bool operator==(const ScramCredential&) const = default;
};

// H(data) and HMAC(key, data) with the mechanism's hash.
std::string scram_hash(ScramMechanism mechanism, std::string_view data);
std::string scram_hmac(ScramMechanism mechanism, std::string_view key, std::string_view data);
// Hi(password, salt, iterations) = PBKDF2-HMAC-H.
std::string salted_password(ScramMechanism mechanism, std::string_view password,
                            std::string_view salt, std::int32_t iterations);

// The record for `password` with `salt`. Errors: invalid_argument when the
// iterations lie outside 4096-16384 or the salt is empty.
Result<ScramCredential> make_scram_credential(ScramMechanism mechanism, const Secret& password,
                                              std::string salt, std::int32_t iterations);
// The same with a fresh random salt of kScramSaltBytes.
Result<ScramCredential> make_scram_credential(ScramMechanism mechanism, const Secret& password,
                                              std::int32_t iterations = kMinScramIterations);

// True when a and b hold the same bytes; time depends on the length only.
bool constant_time_equal(std::string_view a, std::string_view b);
// `n` bytes from OpenSSL's CSPRNG.
std::string random_bytes(std::size_t n);

std::string base64_encode(std::string_view bytes);
// Strict RFC 4648 base64 with padding; nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace strata::broker::security
