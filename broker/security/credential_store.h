#pragma once

// Where the broker keeps its users' SCRAM credentials, and the one rule for
// user names. Narrow on purpose: the metadata-store interface can take it
// over later. Records and key layout: docs/formats/credentials.md.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/security/scram_crypto.h"
#include "common/result.h"
#include "common/status.h"

namespace strata::storage {
class KvStore;
}

namespace strata::broker::security {

// One user as `strata user list` shows it: no key material.
struct UserSummary {
  std::string name;
  std::vector<ScramMechanism> mechanisms;
  bool operator==(const UserSummary&) const = default;
};

// Errors: invalid_argument when `name` is empty, longer than 255 bytes, or
// holds ',' '=' (kafka-python does not escape them) or a control character.
Status validate_user_name(std::string_view name);

// Durable users. Implementations are thread-safe; every call may do disk
// I/O: never on a network thread.
class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  // The user's record for `mechanism`; nullopt when the user or the
  // mechanism is absent. Errors: the store's read errors.
  virtual Result<std::optional<ScramCredential>> find(std::string_view user,
                                                      ScramMechanism mechanism) const = 0;
  // Creates or replaces the user with exactly these records (one per
  // mechanism). Errors: invalid_argument for a bad name or no records.
  virtual Status put_user(std::string_view user, const std::vector<ScramCredential>& records) = 0;
  // Errors: not_found when the user does not exist.
  virtual Status remove_user(std::string_view user) = 0;
  virtual Result<std::vector<UserSummary>> list_users() const = 0;
  // A per-broker random key, created once and kept: fake salts for unknown
  // users are derived from it so that they are stable across restarts.
  virtual Result<Secret> fake_salt_key() = 0;
};

// The CredentialStore on the broker's RocksDB (storage::KvStore), which must
// outlive it.
std::unique_ptr<CredentialStore> make_kv_credential_store(storage::KvStore& kv);

// The value format of one user's records (docs/formats/credentials.md).
std::string encode_credentials(const std::vector<ScramCredential>& records);
// Errors: corruption when the bytes are not a valid record list.
Result<std::vector<ScramCredential>> decode_credentials(std::string_view bytes);

}  // namespace strata::broker::security
