#include "broker/security/scram_server.h"

#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "broker/security/credential_store.h"
#include "broker/security/plain_server.h"
#include "storage/kv_store.h"
#include "tests/support/temp_dir.h"

namespace strata::broker::security {
namespace {

using strata::testing::TempDir;

// Computed by scram_vectors.py (Python hashlib, independent of this code);
// k256 is RFC 7677 §3's example exchange.
constexpr std::string_view k256_stored_key = "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=";
constexpr std::string_view k256_server_key = "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";
constexpr std::string_view k256_client_first = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view k256_server_first = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view k256_client_final = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view k256_server_final = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";
constexpr std::string_view k512_stored_key = "aUOtD0sJJgXGQapAcpVEaSEn/Dve0tr/8giu07Ldd6lRMTQu0ytORba5WQaMq3DZ5RX6y6/w/Xp25ntOnIrk1Q==";
constexpr std::string_view k512_server_key = "Amlp1PvN9k95e7wzLyb8SskiF41JMaY3I43wBrvpm6qmAFnFpW51HY4M1IZ4v937gzm1d69bdMKjsHfCMQngmw==";
constexpr std::string_view k512_client_first = "n,,n=alice,r=clientNonce512";
constexpr std::string_view k512_server_first = "r=clientNonce512serverNonce512xyz,s=c3RyYXRhLXNhbHQtMDEyMzQ1Njc4OWFiY2RlZg==,i=8192";
constexpr std::string_view k512_client_final = "c=biws,r=clientNonce512serverNonce512xyz,p=zHeQFN8CFZWQ9zq2jZ6bBTvCtyizjeCPs+MxwYgPr538TW8/uOKXhxqoxAKKmlVpmW0zSbdOG6a9ObvYe9RkFQ==";
constexpr std::string_view k512_server_final = "v=DkT4r96FaLTMHKRVztIIH2H3sxU3d67hZAPW06fWRYOnabz/Z4TfAxSWpf1vdsEkkt3GUEeOR/mskjIcXE6JQQ==";

std::string b64(std::string_view text) { return base64_decode(text).value(); }

// A real RocksDB store in a temp dir, with users and a SaslContext on it.
struct Fixture {
  TempDir dir{"strata-scram"};
  std::unique_ptr<storage::KvStore> kv = storage::KvStore::open((dir / "kv").string()).value();
  std::unique_ptr<CredentialStore> store = make_kv_credential_store(*kv);
  SaslContext context{*store, store->fake_salt_key().value()};

  void add_rfc_user() {
    ScramCredential c{ScramMechanism::sha256, b64("W22ZaJ0SNY7soEsUEjb6gQ=="), b64(k256_stored_key),
                      b64(k256_server_key), 4096};
    REQUIRE(store->put_user("user", {c}).ok());
  }
  void add_alice_512() {
    ScramCredential c{ScramMechanism::sha512, "strata-salt-0123456789abcdef", b64(k512_stored_key),
                      b64(k512_server_key), 8192};
    REQUIRE(store->put_user("alice", {c}).ok());
  }
};

constexpr std::string_view kRfcServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

TEST_CASE("a SCRAM record holds the StoredKey and ServerKey that hashlib computes",
          "[security][scram]") {
  auto c256 = make_scram_credential(ScramMechanism::sha256, Secret("pencil"),
                                    b64("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
  REQUIRE(c256.ok());
  CHECK(base64_encode(c256->stored_key) == k256_stored_key);
  CHECK(base64_encode(c256->server_key) == k256_server_key);
  auto c512 = make_scram_credential(ScramMechanism::sha512, Secret("s3cr3t-Pa55"),
                                    "strata-salt-0123456789abcdef", 8192);
  REQUIRE(c512.ok());
  CHECK(base64_encode(c512->stored_key) == k512_stored_key);
  CHECK(base64_encode(c512->server_key) == k512_server_key);
}

TEST_CASE("iterations outside 4096-16384 are refused when a record is made", "[security][scram]") {
  CHECK(make_scram_credential(ScramMechanism::sha256, Secret("p"), "salt", 4095).status() ==
        ErrorCode::invalid_argument);
  CHECK(make_scram_credential(ScramMechanism::sha256, Secret("p"), "salt", 16385).status() ==
        ErrorCode::invalid_argument);
  CHECK(make_scram_credential(ScramMechanism::sha256, Secret("p"), "salt", 16384).ok());
}

TEST_CASE("the RFC 7677 SCRAM-SHA-256 exchange succeeds byte for byte", "[security][scram]") {
  Fixture f;
  f.add_rfc_user();
  ScramServer server(ScramMechanism::sha256, f.context, std::string(kRfcServerNonce));
  const SaslStep first = server.step(k256_client_first);
  REQUIRE(first.outcome == SaslStep::Outcome::challenge);
  CHECK(first.token == k256_server_first);
  const SaslStep last = server.step(k256_client_final);
  REQUIRE(last.outcome == SaslStep::Outcome::success);
  CHECK(last.token == k256_server_final);
  CHECK(server.principal() == "user");
  CHECK(server.step(k256_client_final).outcome == SaslStep::Outcome::failure);
}

TEST_CASE("a SCRAM-SHA-512 exchange matches hashlib's vectors", "[security][scram]") {
  Fixture f;
  f.add_alice_512();
  ScramServer server(ScramMechanism::sha512, f.context, "serverNonce512xyz");
  REQUIRE(server.step(k512_client_first).token == k512_server_first);
  const SaslStep last = server.step(k512_client_final);
  REQUIRE(last.outcome == SaslStep::Outcome::success);
  CHECK(last.token == k512_server_final);
}

TEST_CASE("SCRAM refuses a tampered nonce, proof or channel binding (CVE-2024-56128)",
          "[security][scram]") {
  Fixture f;
  f.add_rfc_user();
  ScramServer server(ScramMechanism::sha256, f.context, std::string(kRfcServerNonce));
  REQUIRE(server.step(k256_client_first).outcome == SaslStep::Outcome::challenge);
  std::string final_message(k256_client_final);
  SECTION("nonce") { final_message.replace(final_message.find("k0,p="), 2, "k1"); }
  SECTION("client nonce only") {
    final_message = "c=biws,r=rOprNGfwEbeRWgbNEkqO,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
  }
  SECTION("proof") { final_message.replace(final_message.find("p=dH"), 4, "p=dI"); }
  SECTION("client nonce appended instead of prefixed") {
    final_message.replace(final_message.find("k0,p="), 2, "k0rOprNGfwEbeRWgbNEkqO");
  }
  SECTION("channel binding") { final_message.replace(0, 6, "c=eSws"); }
  CHECK(server.step(final_message).outcome == SaslStep::Outcome::failure);
}

TEST_CASE("SCRAM accepts the final nonce librdkafka 2.0.2 sends (client nonce + server nonce)",
          "[security][scram]") {
  // The proof covers the message as sent, so compute it for the long nonce.
  Fixture f;
  auto cred = make_scram_credential(ScramMechanism::sha256, Secret("pw"), "salt-bytes", 4096);
  REQUIRE(f.store->put_user("bob", {*cred}).ok());
  ScramServer server(ScramMechanism::sha256, f.context, "SN");
  REQUIRE(server.step("n,,n=bob,r=CN").outcome == SaslStep::Outcome::challenge);
  const std::string salted = salted_password(ScramMechanism::sha256, "pw", "salt-bytes", 4096);
  const std::string client_key = scram_hmac(ScramMechanism::sha256, salted, "Client Key");
  const std::string without_proof = "c=biws,r=CNCNSN";
  const std::string am =
      "n=bob,r=CN,r=CNSN,s=" + base64_encode("salt-bytes") + ",i=4096," + without_proof;
  std::string proof = scram_hmac(ScramMechanism::sha256,
                                 scram_hash(ScramMechanism::sha256, client_key), am);
  for (std::size_t i = 0; i < proof.size(); ++i) {
    proof[i] = static_cast<char>(proof[i] ^ client_key[i]);
  }
  CHECK(server.step(without_proof + ",p=" + base64_encode(proof)).outcome ==
        SaslStep::Outcome::success);
}

TEST_CASE("SCRAM refuses an authzid other than the user (CVE-2017-12610)", "[security][scram]") {
  Fixture f;
  f.add_rfc_user();
  ScramServer other(ScramMechanism::sha256, f.context);
  CHECK(other.step("n,a=admin,n=user,r=abc").outcome == SaslStep::Outcome::failure);
  ScramServer same(ScramMechanism::sha256, f.context);
  CHECK(same.step("n,a=user,n=user,r=abc").outcome == SaslStep::Outcome::challenge);
}

TEST_CASE("SCRAM client-first parsing follows RFC 5802", "[security][scram]") {
  CHECK_FALSE(parse_client_first("p=tls-unique,,n=user,r=abc").ok());  // channel binding
  CHECK_FALSE(parse_client_first("n,,m=ext,n=user,r=abc").ok());
  CHECK_FALSE(parse_client_first("n,,n=,r=abc").ok());
  CHECK_FALSE(parse_client_first("n,,n=user,r=").ok());
  CHECK_FALSE(parse_client_first("n,,n=us=xer,r=abc").ok());
  CHECK_FALSE(parse_client_first("n,,n=user").ok());
  CHECK_FALSE(parse_client_first("n,,n=user,r=abc,tokenauth=true").ok());
  auto escaped = parse_client_first("n,,n=a=2Cb=3Dc,r=abc,ext=1");
  REQUIRE(escaped.ok());
  CHECK(escaped->user == "a,b=c");
  CHECK(escaped->bare == "n=a=2Cb=3Dc,r=abc,ext=1");
}

TEST_CASE("an unknown user gets a stable fake salt and fails like a wrong password",
          "[security][scram]") {
  Fixture f;
  f.add_rfc_user();
  ScramServer a(ScramMechanism::sha256, f.context, "S1");
  ScramServer b(ScramMechanism::sha256, f.context, "S1");
  const SaslStep first_a = a.step("n,,n=mallory,r=abc");
  const SaslStep first_b = b.step("n,,n=mallory,r=abc");
  REQUIRE(first_a.outcome == SaslStep::Outcome::challenge);
  CHECK(first_a.token == first_b.token);  // same salt every time: nothing to compare
  CHECK(first_a.token.find(",i=4096") != std::string::npos);
  CHECK(first_a.token.find("s=" + base64_encode(b64("W22ZaJ0SNY7soEsUEjb6gQ=="))) ==
        std::string::npos);
  CHECK(a.step("c=biws,r=abcS1,p=" + base64_encode(std::string(32, 'x'))).outcome ==
        SaslStep::Outcome::failure);
}

TEST_CASE("PLAIN is verified against the SCRAM record", "[security][plain]") {
  Fixture f;
  f.add_rfc_user();
  f.add_alice_512();
  using namespace std::string_literals;
  CHECK(PlainServer(f.context).step("\0user\0pencil"s).outcome == SaslStep::Outcome::success);
  CHECK(PlainServer(f.context).step("user\0user\0pencil"s).outcome == SaslStep::Outcome::success);
  CHECK(PlainServer(f.context).step("\0alice\0s3cr3t-Pa55"s).outcome ==
        SaslStep::Outcome::success);
  CHECK(PlainServer(f.context).step("\0user\0pencil2"s).outcome == SaslStep::Outcome::failure);
  CHECK(PlainServer(f.context).step("admin\0user\0pencil"s).outcome ==
        SaslStep::Outcome::failure);
  CHECK(PlainServer(f.context).step("\0nobody\0pencil"s).outcome == SaslStep::Outcome::failure);
  CHECK(PlainServer(f.context).step("\0user\0pen\0cil"s).outcome == SaslStep::Outcome::failure);
  CHECK(PlainServer(f.context).step("user"s).outcome == SaslStep::Outcome::failure);
}

TEST_CASE("user names with ',', '=' or control characters are refused", "[security][users]") {
  CHECK(validate_user_name("alice").ok());
  CHECK_FALSE(validate_user_name("").ok());
  CHECK_FALSE(validate_user_name("a,b").ok());
  CHECK_FALSE(validate_user_name("a=b").ok());
  CHECK_FALSE(validate_user_name("a\nb").ok());
  CHECK_FALSE(validate_user_name(std::string(256, 'a')).ok());
  Fixture f;
  auto cred = make_scram_credential(ScramMechanism::sha256, Secret("pw"));
  CHECK(f.store->put_user("a,b", {*cred}) == ErrorCode::invalid_argument);
}

TEST_CASE("the credential store keeps users across a reopen and never the password",
          "[security][users]") {
  TempDir dir{"strata-creds"};
  const std::string path = (dir / "kv").string();
  std::string fake_key;
  {
    auto kv = storage::KvStore::open(path).value();
    auto store = make_kv_credential_store(*kv);
    auto c256 = make_scram_credential(ScramMechanism::sha256, Secret("hunter2-secret"));
    auto c512 = make_scram_credential(ScramMechanism::sha512, Secret("hunter2-secret"));
    REQUIRE(store->put_user("carol", {*c256, *c512}).ok());
    REQUIRE(store->put_user("dave", {*c256}).ok());
    fake_key = std::string(store->fake_salt_key().value().reveal());
    auto pairs = kv->scan_prefix("").value();
    for (const auto& pair : pairs) CHECK(pair.value.find("hunter2") == std::string::npos);
  }
  auto kv = storage::KvStore::open(path).value();
  auto store = make_kv_credential_store(*kv);
  CHECK(store->fake_salt_key().value().reveal() == fake_key);
  auto users = store->list_users().value();
  REQUIRE(users.size() == 2);
  CHECK(users[0] == UserSummary{"carol", {ScramMechanism::sha256, ScramMechanism::sha512}});
  CHECK(users[1] == UserSummary{"dave", {ScramMechanism::sha256}});
  CHECK(store->find("carol", ScramMechanism::sha512).value().has_value());
  CHECK_FALSE(store->find("dave", ScramMechanism::sha512).value().has_value());
  CHECK(store->remove_user("dave").ok());
  CHECK(store->remove_user("dave") == ErrorCode::not_found);
  CHECK(store->list_users().value().size() == 1);
}

TEST_CASE("a corrupt credential record is reported, not trusted", "[security][users]") {
  auto cred = make_scram_credential(ScramMechanism::sha256, Secret("pw"));
  std::string bytes = encode_credentials({*cred});
  REQUIRE(decode_credentials(bytes).value() == std::vector<ScramCredential>{*cred});
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    CHECK(decode_credentials(bytes.substr(0, cut)).status() == ErrorCode::corruption);
  }
  CHECK(decode_credentials(bytes + "x").status() == ErrorCode::corruption);
}

TEST_CASE("a Secret formats as *** through fmt and iostreams", "[security][secret]") {
  const Secret s("hunter2");
  CHECK(fmt::format("pw={}", s) == "pw=***");
  std::ostringstream out;
  out << s;
  CHECK(out.str() == "***");
  CHECK(s.reveal() == "hunter2");
}

TEST_CASE("the mechanism list parses Kafka's names", "[security][sasl]") {
  auto both = parse_sasl_mechanisms("SCRAM-SHA-256,SCRAM-SHA-512");
  REQUIRE(both.ok());
  CHECK(*both == std::vector{SaslMechanism::scram_sha_256, SaslMechanism::scram_sha_512});
  CHECK_FALSE(parse_sasl_mechanisms("").ok());
  CHECK_FALSE(parse_sasl_mechanisms("GSSAPI").ok());
  CHECK_FALSE(parse_sasl_mechanisms("PLAIN,PLAIN").ok());
}

}  // namespace
}  // namespace strata::broker::security
