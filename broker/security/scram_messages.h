#pragma once

// Parsing of the two SCRAM messages a client sends (RFC 5802 §7), with the
// RFC's rules: gs2 header without channel binding, an optional authzid,
// saslname escaping (=2C, =3D), a printable nonce, extensions ignored,
// the proof last. Pure functions over untrusted bytes; any thread.

#include <string>
#include <string_view>

#include "common/result.h"

namespace strata::broker::security {

// client-first-message = gs2-header client-first-message-bare
struct ClientFirstMessage {
  std::string gs2_header;  // "n,," or "n,a=<authzid>," (as sent, for c= later)
  std::string authzid;     // decoded; empty when absent
  std::string user;        // decoded saslname
  std::string nonce;       // the client's nonce
  std::string bare;        // client-first-message-bare, for the AuthMessage
};

// client-final-message = channel-binding "," nonce ["," extensions] "," proof
struct ClientFinalMessage {
  std::string channel_binding;  // c= decoded: must equal the gs2 header
  std::string nonce;            // r=
  std::string proof;            // p= decoded
  std::string without_proof;    // everything before ",p=", for the AuthMessage
};

// Errors: invalid_argument naming the rule broken (for the broker's debug
// log only; clients get a generic message).
Result<ClientFirstMessage> parse_client_first(std::string_view message);
Result<ClientFinalMessage> parse_client_final(std::string_view message);

// Decodes a saslname (",": "=2C", "=": "=3D"); invalid_argument for any
// other '=' or a ',' left raw.
Result<std::string> decode_saslname(std::string_view name);

// True for a nonce of printable ASCII without ',' (RFC 5802 "printable").
bool is_valid_nonce(std::string_view nonce);

}  // namespace strata::broker::security
