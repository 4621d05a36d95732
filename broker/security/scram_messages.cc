#include "broker/security/scram_messages.h"

#include <vector>

#include "broker/security/scram_crypto.h"
#include "common/status.h"

namespace strata::broker::security {
namespace {

// Splits on ',' (attribute values never contain a raw ',').
std::vector<std::string_view> split_attributes(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  // Bounded by text.size(): each iteration consumes at least one byte or ends.
  for (;;) {
    const std::size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return parts;
}

// "k=value" → value; false when the attribute is not `key`.
bool attribute(std::string_view part, char key, std::string_view& value) {
  if (part.size() < 2 || part[0] != key || part[1] != '=') return false;
  value = part.substr(2);
  return true;
}

Status bad(std::string what) { return invalid_argument_error("scram: " + std::move(what)); }

}  // namespace

bool is_valid_nonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (const char c : nonce) {
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  }
  return true;
}

Result<std::string> decode_saslname(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == ',') return bad("raw ',' in a saslname");
    if (name[i] != '=') {
      out.push_back(name[i]);
      continue;
    }
    const std::string_view esc = name.substr(i + 1, 2);
    if (esc == "2C") {
      out.push_back(',');
    } else if (esc == "3D") {
      out.push_back('=');
    } else {
      return bad("bad '=' escape in a saslname");
    }
    i += 2;
  }
  return out;
}

Result<ClientFirstMessage> parse_client_first(std::string_view message) {
  const std::vector<std::string_view> parts = split_attributes(message);
  // gs2-cbind-flag "," [authzid] "," n=... "," r=... [, extensions]
  if (parts.size() < 4) return bad("client-first has too few attributes");
  if (parts[0] != "n" && parts[0] != "y") return bad("channel binding is not supported");
  ClientFirstMessage out;
  std::string_view value;
  if (!parts[1].empty()) {
    if (!attribute(parts[1], 'a', value)) return bad("bad authzid attribute");
    STRATA_TRY_ASSIGN(out.authzid, decode_saslname(value));
  }
  out.gs2_header = std::string(parts[0]) + "," + std::string(parts[1]) + ",";
  if (parts[2].size() >= 2 && parts[2][0] == 'm') return bad("mandatory extension m=");
  if (!attribute(parts[2], 'n', value) || value.empty()) return bad("missing user name");
  STRATA_TRY_ASSIGN(out.user, decode_saslname(value));
  if (!attribute(parts[3], 'r', value) || !is_valid_nonce(value)) return bad("bad client nonce");
  out.nonce = std::string(value);
  for (std::size_t i = 4; i < parts.size(); ++i) {
    // Kafka's extensions (e.g. tokenauth=true, delegation tokens) are not served.
    if (parts[i] == "tokenauth=true") return bad("delegation tokens are not supported");
  }
  out.bare = std::string(message.substr(out.gs2_header.size()));
  return out;
}

Result<ClientFinalMessage> parse_client_final(std::string_view message) {
  const std::size_t proof_at = message.rfind(",p=");
  if (proof_at == std::string_view::npos) return bad("client-final has no proof");
  const std::vector<std::string_view> parts = split_attributes(message.substr(0, proof_at));
  if (parts.size() < 2) return bad("client-final has too few attributes");
  ClientFinalMessage out;
  std::string_view value;
  if (!attribute(parts[0], 'c', value)) return bad("client-final does not start with c=");
  auto binding = base64_decode(value);
  if (!binding) return bad("bad base64 in c=");
  out.channel_binding = std::move(*binding);
  if (!attribute(parts[1], 'r', value) || !is_valid_nonce(value)) return bad("bad nonce");
  out.nonce = std::string(value);
  auto proof = base64_decode(message.substr(proof_at + 3));
  if (!proof || proof->empty()) return bad("bad base64 in p=");
  out.proof = std::move(*proof);
  out.without_proof = std::string(message.substr(0, proof_at));
  return out;
}

}  // namespace strata::broker::security
