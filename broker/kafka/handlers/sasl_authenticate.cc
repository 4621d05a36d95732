// SaslAuthenticate (key 36) once authenticated, or on a PLAINTEXT listener:
// ILLEGAL_SASL_STATE. Before authentication the connection's
// SaslAuthenticator answers it instead.
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_sasl_authenticate(HandlerContext& /*ctx*/, RequestContext request,
                              SaslAuthenticateRequest /*body*/) {
  SaslAuthenticateResponse response;
  response.error_code = to_int(KafkaError::illegal_sasl_state);
  response.error_message = "not in a SASL exchange";
  send_response(request, response);
}

}  // namespace strata::broker::kafka
