#include "broker/security/sasl_server.h"

#include "broker/security/plain_server.h"
#include "broker/security/scram_server.h"

namespace strata::broker::security {

std::string_view sasl_mechanism_name(SaslMechanism mechanism) {
  switch (mechanism) {
    case SaslMechanism::plain:
      return "PLAIN";
    case SaslMechanism::scram_sha_256:
      return "SCRAM-SHA-256";
    case SaslMechanism::scram_sha_512:
      return "SCRAM-SHA-512";
  }
  return "?";
}

std::optional<SaslMechanism> sasl_mechanism_from_name(std::string_view name) {
  for (const SaslMechanism m :
       {SaslMechanism::plain, SaslMechanism::scram_sha_256, SaslMechanism::scram_sha_512}) {
    if (sasl_mechanism_name(m) == name) return m;
  }
  return std::nullopt;
}

Result<std::vector<SaslMechanism>> parse_sasl_mechanisms(std::string_view list) {
  std::vector<SaslMechanism> out;
  std::size_t start = 0;
  // Each iteration consumes one item and its comma.
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view name = list.substr(start, comma - start);
    const auto m = sasl_mechanism_from_name(name);
    if (!m) return invalid_argument_error("unknown SASL mechanism '" + std::string(name) + "'");
    for (const SaslMechanism seen : out) {
      if (seen == *m) {
        return invalid_argument_error("SASL mechanism " + std::string(name) + " repeated");
      }
    }
    out.push_back(*m);
    start = comma + 1;
  }
  if (out.empty()) return invalid_argument_error("no SASL mechanism");
  return out;
}

std::unique_ptr<SaslServer> make_sasl_server(SaslMechanism mechanism, const SaslContext& context) {
  switch (mechanism) {
    case SaslMechanism::plain:
      return std::make_unique<PlainServer>(context);
    case SaslMechanism::scram_sha_256:
      return std::make_unique<ScramServer>(ScramMechanism::sha256, context);
    case SaslMechanism::scram_sha_512:
      return std::make_unique<ScramServer>(ScramMechanism::sha512, context);
  }
  return nullptr;
}

}  // namespace strata::broker::security
