// SaslHandshake (key 17) once authenticated, or on a PLAINTEXT listener:
// ILLEGAL_SASL_STATE, as Kafka's KafkaApis answers. Before authentication
// the connection's SaslAuthenticator answers it instead.
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_sasl_handshake(HandlerContext& /*ctx*/, RequestContext request,
                           SaslHandshakeRequest /*body*/) {
  SaslHandshakeResponse response;
  response.error_code = to_int(KafkaError::illegal_sasl_state);
  send_response(request, response);
}

}  // namespace strata::broker::kafka
