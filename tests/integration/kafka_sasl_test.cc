// SASL on the Kafka listener (#16) against the real broker: SaslHandshake v0
// with raw tokens and v1 with SaslAuthenticate, SCRAM-SHA-256/512 and PLAIN
// computed here by a small client, and every way to fail: wrong password,
// unknown user, unknown mechanism, a tampered nonce, requests before
// authentication, an oversized pre-auth frame, the authentication deadline,
// PLAIN refused at start without the insecure setting.
#include <catch2/catch.hpp>

#include "broker/security/scram_crypto.h"
#include "tests/integration/client_helpers.h"
#include "tests/integration/kafka_client.h"
#include "tests/integration/kafka_helpers.h"
#include "tests/support/broker_process.h"

namespace strata::testing {
namespace {

using namespace kafka;
using broker::security::base64_decode;
using broker::security::base64_encode;
using broker::security::ScramMechanism;
using namespace std::string_literals;

constexpr std::int16_t kSaslAuthenticationFailed = 58;
constexpr std::int16_t kIllegalSaslState = 34;
constexpr std::int16_t kUnsupportedSaslMechanism = 33;
constexpr const char* kPassword = "tr0ub4dor&3-horse";

// A SASL_PLAINTEXT broker with every mechanism (PLAIN allowed explicitly)
// and the user "alice".
struct SaslBroker {
  BrokerProcess broker{BrokerProcess::Options{
      "", {},
      {"--kafka-security-protocol", "SASL_PLAINTEXT", "--kafka-sasl-mechanisms",
       "SCRAM-SHA-256,SCRAM-SHA-512,PLAIN", "--kafka-sasl-allow-insecure-plain",
       "--kafka-sasl-authentication-timeout-ms", "3000"},
      std::chrono::milliseconds(20000)}};
  SaslBroker() {
    REQUIRE(broker.start());
    REQUIRE(make_admin(broker)->create_user("alice", Secret(kPassword)).ok());
  }
};

// One client side of a SCRAM exchange.
struct ScramClient {
  ScramClient(ScramMechanism m, std::string u, std::string p)
      : mechanism(m), user(std::move(u)), password(std::move(p)) {}
  ScramMechanism mechanism;
  std::string user;
  std::string password;
  std::string nonce = "fyko+d2lbbFgONRv9qkxdawL";
  std::string bare;
  std::string auth_message;
  std::string salted;

  std::string first() {
    bare = "n=" + user + ",r=" + nonce;
    return "n,," + bare;
  }
  // The client-final for `server_first`; `tamper` changes the nonce sent.
  std::string final_message(const std::string& server_first, bool tamper = false) {
    std::map<char, std::string> attrs;
    std::size_t start = 0;
    while (start < server_first.size()) {
      const std::size_t comma = std::min(server_first.find(',', start), server_first.size());
      attrs[server_first[start]] = server_first.substr(start + 2, comma - start - 2);
      start = comma + 1;
    }
    salted = broker::security::salted_password(mechanism, password, *base64_decode(attrs['s']),
                                               std::stoi(attrs['i']));
    const std::string without_proof = "c=biws,r=" + attrs['r'] + (tamper ? "x" : "");
    auth_message = bare + "," + server_first + "," + without_proof;
    const std::string client_key = broker::security::scram_hmac(mechanism, salted, "Client Key");
    std::string proof = broker::security::scram_hmac(
        mechanism, broker::security::scram_hash(mechanism, client_key), auth_message);
    for (std::size_t i = 0; i < proof.size(); ++i) {
      proof[i] = static_cast<char>(proof[i] ^ client_key[i]);
    }
    return without_proof + ",p=" + base64_encode(proof);
  }
  std::string expected_server_final() const {
    const std::string server_key = broker::security::scram_hmac(mechanism, salted, "Server Key");
    return "v=" + base64_encode(broker::security::scram_hmac(mechanism, server_key, auth_message));
  }
};

std::optional<SaslHandshakeResponse> handshake(KafkaClient& c, std::int16_t version,
                                               const std::string& mechanism) {
  return c.call<SaslHandshakeResponse>(version, SaslHandshakeRequest{mechanism});
}

std::optional<SaslAuthenticateResponse> authenticate(KafkaClient& c, std::int16_t version,
                                                     std::string_view token) {
  return c.call<SaslAuthenticateResponse>(version, SaslAuthenticateRequest{to_buffer(token)});
}

// A raw v0 token each way: size + bytes.
bool send_token(KafkaClient& c, std::string_view token) {
  Buffer frame;
  const std::size_t start = begin_frame(frame);
  append(frame, as_bytes(token));
  return finish_frame(frame, start).ok() && c.send_raw(frame);
}

std::string text(const Buffer& b) { return std::string(as_string_view(b)); }

// SCRAM over Handshake v1 + SaslAuthenticate `version`; returns the final
// answer (error or success).
SaslAuthenticateResponse scram_v1(KafkaClient& c, ScramClient& scram, std::int16_t version,
                                  bool tamper = false) {
  auto hs = handshake(c, 1, std::string(broker::security::mechanism_name(scram.mechanism)));
  REQUIRE(hs);
  REQUIRE(hs->error_code == 0);
  auto first = authenticate(c, version, scram.first());
  REQUIRE(first);
  if (first->error_code != 0) return *first;
  auto last = authenticate(c, version, scram.final_message(text(first->auth_bytes), tamper));
  REQUIRE(last);
  return *last;
}

bool metadata_works(KafkaClient& c) {
  auto md = c.call<MetadataResponse>(1, MetadataRequest{});
  return md.has_value();
}

}  // namespace

TEST_CASE("SCRAM-SHA-256 and -512 over SaslHandshake v1 and SaslAuthenticate v0-2 authenticate",
          "[integration][kafka][sasl]") {
  SaslBroker f;
  for (const ScramMechanism m : {ScramMechanism::sha256, ScramMechanism::sha512}) {
    for (std::int16_t version = 0; version <= 2; ++version) {
      KafkaClient c;
      REQUIRE(c.connect(f.broker.kafka_address()));
      // ApiVersions is allowed first, and advertises both SASL APIs.
      auto versions = c.call<ApiVersionsResponse>(3, ApiVersionsRequest{"strata-test", "1"});
      REQUIRE(versions);
      ScramClient scram{m, "alice", kPassword};
      const SaslAuthenticateResponse last = scram_v1(c, scram, version);
      INFO("mechanism " << static_cast<int>(m) << " version " << version);
      CHECK(last.error_code == 0);
      CHECK(text(last.auth_bytes) == scram.expected_server_final());
      CHECK(metadata_works(c));
      // A second handshake once authenticated: ILLEGAL_SASL_STATE.
      auto again = handshake(c, 1, "SCRAM-SHA-256");
      REQUIRE(again);
      CHECK(again->error_code == kIllegalSaslState);
    }
  }
}

TEST_CASE("SaslHandshake v0 is followed by raw tokens, as kafka-python sends them",
          "[integration][kafka][sasl]") {
  SaslBroker f;
  SECTION("SCRAM-SHA-512") {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    REQUIRE(handshake(c, 0, "SCRAM-SHA-512")->error_code == 0);
    ScramClient scram{ScramMechanism::sha512, "alice", kPassword};
    REQUIRE(send_token(c, scram.first()));
    auto server_first = c.read_frame();
    REQUIRE(server_first);
    REQUIRE(send_token(c, scram.final_message(text(*server_first))));
    auto server_final = c.read_frame();
    REQUIRE(server_final);
    CHECK(text(*server_final) == scram.expected_server_final());
    CHECK(metadata_works(c));
  }
  SECTION("PLAIN succeeds with an empty token (00 00 00 00)") {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    REQUIRE(handshake(c, 0, "PLAIN")->error_code == 0);
    REQUIRE(send_token(c, "\0alice\0"s + kPassword));
    auto answer = c.read_frame();
    REQUIRE(answer);
    CHECK(answer->empty());
    CHECK(metadata_works(c));
  }
  SECTION("a wrong PLAIN password closes the connection without an answer") {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    REQUIRE(handshake(c, 0, "PLAIN")->error_code == 0);
    REQUIRE(send_token(c, "\0alice\0wrong"s));
    CHECK_FALSE(c.read_frame());
  }
}

TEST_CASE("wrong password, unknown user and a tampered nonce get SASL_AUTHENTICATION_FAILED "
          "with one generic message, then a close",
          "[integration][kafka][sasl]") {
  SaslBroker f;
  std::vector<std::string> messages;
  auto fails = [&](ScramClient scram, bool tamper) {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    const SaslAuthenticateResponse last = scram_v1(c, scram, 2, tamper);
    CHECK(last.error_code == kSaslAuthenticationFailed);
    CHECK(last.auth_bytes.empty());
    messages.push_back(last.error_message.value_or(""));
    CHECK(c.wait_closed());
  };
  fails(ScramClient{ScramMechanism::sha256, "alice", "wrong"}, false);
  fails(ScramClient{ScramMechanism::sha512, "mallory", kPassword}, false);
  fails(ScramClient{ScramMechanism::sha256, "alice", kPassword}, true);
  for (const std::string& m : messages) CHECK(m == messages.front());
  CHECK(messages.front().find("alice") == std::string::npos);
  // PLAIN over v1: the same code.
  KafkaClient c;
  REQUIRE(c.connect(f.broker.kafka_address()));
  REQUIRE(handshake(c, 1, "PLAIN")->error_code == 0);
  auto plain = authenticate(c, 1, "\0alice\0nope"s);
  REQUIRE(plain);
  CHECK(plain->error_code == kSaslAuthenticationFailed);
  CHECK(plain->error_message == messages.front());
  CHECK(c.wait_closed());
}

TEST_CASE("an unknown or disabled mechanism gets UNSUPPORTED_SASL_MECHANISM with the enabled list",
          "[integration][kafka][sasl]") {
  SaslBroker f;
  for (const char* mechanism : {"GSSAPI", "OAUTHBEARER", "scram-sha-256"}) {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    auto hs = handshake(c, 1, mechanism);
    REQUIRE(hs);
    CHECK(hs->error_code == kUnsupportedSaslMechanism);
    CHECK(hs->mechanisms == std::vector<std::string>{"SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"});
    CHECK(c.wait_closed());
  }
}

TEST_CASE("before authentication only ApiVersions and SASL are served; the rest closes and "
          "changes nothing",
          "[integration][kafka][sasl]") {
  SaslBroker f;
  SECTION("CreateTopics") {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    REQUIRE(c.send(4, create_one("t", 1), 1));
    CHECK_FALSE(c.read_frame());
    // Nothing was created: an authenticated client sees no topic "t".
    KafkaClient ok;
    REQUIRE(ok.connect(f.broker.kafka_address()));
    ScramClient scram{ScramMechanism::sha256, "alice", kPassword};
    REQUIRE(scram_v1(ok, scram, 2).error_code == 0);
    auto md = ok.call<MetadataResponse>(1, MetadataRequest{});
    REQUIRE(md);
    for (const auto& topic : md->topics) CHECK(topic.name != "t");
  }
  SECTION("Metadata after a handshake, before the tokens") {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    REQUIRE(handshake(c, 1, "SCRAM-SHA-256")->error_code == 0);
    REQUIRE(c.send(1, MetadataRequest{}, 7));
    CHECK_FALSE(c.read_frame());
  }
  SECTION("SaslAuthenticate before SaslHandshake: ILLEGAL_SASL_STATE") {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    auto answer = authenticate(c, 1, "n,,n=alice,r=abc");
    REQUIRE(answer);
    CHECK(answer->error_code == kIllegalSaslState);
    CHECK(c.wait_closed());
  }
  SECTION("a frame over 512 KiB is refused unread") {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    const std::uint32_t size = 512 * 1024 + 1;
    const Buffer prefix{std::byte(size >> 24), std::byte((size >> 16) & 0xff),
                        std::byte((size >> 8) & 0xff), std::byte(size & 0xff)};
    REQUIRE(c.send_raw(prefix));
    CHECK(c.wait_closed());
  }
  SECTION("a connection that does not authenticate in time is closed") {
    KafkaClient c;
    REQUIRE(c.connect(f.broker.kafka_address()));
    REQUIRE(handshake(c, 1, "SCRAM-SHA-256")->error_code == 0);
    CHECK(c.wait_closed(std::chrono::seconds(20)));
  }
}

TEST_CASE("users are listed without key material and deleted users cannot log in",
          "[integration][kafka][sasl]") {
  SaslBroker f;
  auto admin = make_admin(f.broker);
  CHECK(admin->create_user("a,b", Secret("pw")) == ErrorCode::invalid_argument);
  CHECK(admin->create_user("bob", Secret("")) == ErrorCode::invalid_argument);
  auto users = admin->list_users();
  REQUIRE(users.ok());
  REQUIRE(users->size() == 1);
  CHECK(users->at(0).name == "alice");
  CHECK(users->at(0).mechanisms == std::vector<std::string>{"SCRAM-SHA-256", "SCRAM-SHA-512"});
  REQUIRE(admin->delete_user("alice").ok());
  CHECK(admin->delete_user("alice") == ErrorCode::not_found);
  KafkaClient c;
  REQUIRE(c.connect(f.broker.kafka_address()));
  ScramClient scram{ScramMechanism::sha256, "alice", kPassword};
  CHECK(scram_v1(c, scram, 2).error_code == kSaslAuthenticationFailed);
}

TEST_CASE("PLAIN on SASL_PLAINTEXT without the insecure setting refuses to start",
          "[integration][kafka][sasl]") {
  BrokerProcess broker{BrokerProcess::Options{
      "", {},
      {"--kafka-security-protocol", "SASL_PLAINTEXT", "--kafka-sasl-mechanisms", "PLAIN"},
      std::chrono::milliseconds(20000)}};
  CHECK_FALSE(broker.start());
  CHECK(broker.error() == "the broker exited before it was ready");
}

TEST_CASE("on a PLAINTEXT listener the SASL requests get ILLEGAL_SASL_STATE",
          "[integration][kafka][sasl]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  KafkaClient c;
  REQUIRE(c.connect(broker.kafka_address()));
  auto hs = handshake(c, 1, "SCRAM-SHA-256");
  REQUIRE(hs);
  CHECK(hs->error_code == kIllegalSaslState);
  auto auth = authenticate(c, 2, "x");
  REQUIRE(auth);
  CHECK(auth->error_code == kIllegalSaslState);
  CHECK(metadata_works(c));
}

}  // namespace strata::testing
