#include "broker/security/credential_store.h"

#include "storage/kv_store.h"

namespace strata::broker::security {
namespace {

constexpr std::string_view kUserPrefix = "security/user/";
constexpr std::string_view kFakeSaltKey = "security/fake-salt-key";
constexpr char kFormatVersion = 1;
constexpr std::size_t kFakeSaltKeyBytes = 32;
constexpr std::size_t kMaxUserNameBytes = 255;

std::string user_key(std::string_view user) { return std::string(kUserPrefix) + std::string(user); }

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void put_bytes(std::string& out, std::string_view b) {
  put_u32(out, static_cast<std::uint32_t>(b.size()));
  out.append(b);
}

// A cursor that fails (and stays failed) on any read past the end.
struct Cursor {
  std::string_view in;
  bool ok = true;
  std::uint32_t u32() {
    if (in.size() < 4) return fail(), 0;
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
    in.remove_prefix(4);
    return v;
  }
  std::string bytes() {
    const std::uint32_t n = u32();
    if (!ok || in.size() < n) return fail(), std::string();
    std::string v(in.substr(0, n));
    in.remove_prefix(n);
    return v;
  }
  void fail() { ok = false; }
};

class KvCredentialStore final : public CredentialStore {
 public:
  explicit KvCredentialStore(storage::KvStore& kv) : kv_(kv) {}

  Result<std::optional<ScramCredential>> find(std::string_view user,
                                              ScramMechanism mechanism) const override {
    STRATA_TRY_ASSIGN(std::optional<std::string> value, kv_.get(user_key(user)));
    if (!value) return std::optional<ScramCredential>();
    STRATA_TRY_ASSIGN(std::vector<ScramCredential> records, decode_credentials(*value));
    for (ScramCredential& r : records) {
      if (r.mechanism == mechanism) return std::optional<ScramCredential>(std::move(r));
    }
    return std::optional<ScramCredential>();
  }

  Status put_user(std::string_view user, const std::vector<ScramCredential>& records) override {
    STRATA_TRY(validate_user_name(user));
    if (records.empty()) {
      return invalid_argument_error("user " + std::string(user) + ": no records");
    }
    return kv_.put(user_key(user), encode_credentials(records));
  }

  Status remove_user(std::string_view user) override {
    STRATA_TRY_ASSIGN(std::optional<std::string> value, kv_.get(user_key(user)));
    if (!value) return not_found_error("user " + std::string(user) + " does not exist");
    return kv_.remove(user_key(user));
  }

  Result<std::vector<UserSummary>> list_users() const override {
    STRATA_TRY_ASSIGN(std::vector<storage::KvPair> pairs, kv_.scan_prefix(kUserPrefix));
    std::vector<UserSummary> users;
    for (const storage::KvPair& pair : pairs) {
      STRATA_TRY_ASSIGN(std::vector<ScramCredential> records, decode_credentials(pair.value));
      UserSummary u{pair.key.substr(kUserPrefix.size()), {}};
      for (const ScramCredential& r : records) u.mechanisms.push_back(r.mechanism);
      users.push_back(std::move(u));
    }
    return users;
  }

  Result<Secret> fake_salt_key() override {
    STRATA_TRY_ASSIGN(std::optional<std::string> value, kv_.get(kFakeSaltKey));
    if (value) return Secret(std::move(*value));
    std::string key = random_bytes(kFakeSaltKeyBytes);
    STRATA_TRY(kv_.put(kFakeSaltKey, key));
    return Secret(std::move(key));
  }

 private:
  storage::KvStore& kv_;
};

}  // namespace

std::unique_ptr<CredentialStore> make_kv_credential_store(storage::KvStore& kv) {
  return std::make_unique<KvCredentialStore>(kv);
}

Status validate_user_name(std::string_view name) {
  if (name.empty()) return invalid_argument_error("user name is empty");
  if (name.size() > kMaxUserNameBytes) return invalid_argument_error("user name is over 255 bytes");
  for (const char c : name) {
    if (c == ',' || c == '=') {
      return invalid_argument_error("user name may not contain ',' or '='");
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return invalid_argument_error("user name may not contain control characters");
    }
  }
  return Status::ok_status();
}

std::string encode_credentials(const std::vector<ScramCredential>& records) {
  std::string out(1, kFormatVersion);
  put_u32(out, static_cast<std::uint32_t>(records.size()));
  for (const ScramCredential& r : records) {
    out.push_back(static_cast<char>(r.mechanism));
    put_u32(out, static_cast<std::uint32_t>(r.iterations));
    put_bytes(out, r.salt);
    put_bytes(out, r.stored_key);
    put_bytes(out, r.server_key);
  }
  return out;
}

Result<std::vector<ScramCredential>> decode_credentials(std::string_view bytes) {
  if (bytes.empty() || bytes[0] != kFormatVersion) {
    return corruption_error("credentials: unknown format version");
  }
  Cursor in{bytes.substr(1)};
  const std::uint32_t count = in.u32();
  // Each record takes at least 17 bytes: the count cannot exceed what remains.
  if (!in.ok || count > in.in.size() / 17) return corruption_error("credentials: bad count");
  std::vector<ScramCredential> records;
  for (std::uint32_t i = 0; i < count && in.ok; ++i) {
    if (in.in.empty()) return corruption_error("credentials: truncated");
    ScramCredential r;
    const auto mech = static_cast<std::uint8_t>(in.in[0]);
    in.in.remove_prefix(1);
    if (mech != 1 && mech != 2) return corruption_error("credentials: unknown mechanism");
    r.mechanism = static_cast<ScramMechanism>(mech);
    r.iterations = static_cast<std::int32_t>(in.u32());
    r.salt = in.bytes();
    r.stored_key = in.bytes();
    r.server_key = in.bytes();
    records.push_back(std::move(r));
  }
  if (!in.ok || !in.in.empty()) return corruption_error("credentials: truncated or trailing bytes");
  return records;
}

}  // namespace strata::broker::security
