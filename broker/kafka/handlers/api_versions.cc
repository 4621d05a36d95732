// ApiVersions (key 18): the ranges of supported_apis(), or INVALID_REQUEST
// for a v3 client software name or version Kafka would refuse (KIP-511).
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_api_versions(HandlerContext& /*ctx*/, RequestContext request,
                         ApiVersionsRequest body) {
  ApiVersionsResponse response = make_api_versions_response();
  if (request.header.api_version >= 3 &&
      (!is_valid_client_software_field(body.client_software_name) ||
       !is_valid_client_software_field(body.client_software_version))) {
    response.error_code = to_int(KafkaError::invalid_request);
  }
  send_response(request, response);
}

}  // namespace strata::broker::kafka
