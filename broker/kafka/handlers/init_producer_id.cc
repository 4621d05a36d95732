// InitProducerId (key 22), v0-4: a fresh idempotent producer id with epoch 0
// from the broker's ProducerIdAllocator; v3+ with a known id and epoch
// (KIP-360) bumps the epoch. Transactional ids are refused: no transactions.
#include <limits>

#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/logger.h"
#include "broker/producer_id_allocator.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_init_producer_id(HandlerContext& ctx, RequestContext request,
                             InitProducerIdRequest body) {
  InitProducerIdResponse response;
  response.producer_id = -1;
  response.producer_epoch = -1;
  if (body.transactional_id) {
    response.error_code = to_int(KafkaError::coordinator_not_available);
    return send_response(request, response);
  }
  if (body.producer_id >= 0 && body.producer_epoch >= 0 &&
      body.producer_epoch < std::numeric_limits<std::int16_t>::max() - 1) {
    response.producer_id = body.producer_id;
    response.producer_epoch = static_cast<std::int16_t>(body.producer_epoch + 1);
    return send_response(request, response);
  }
  auto id = ctx.producer_ids.allocate();
  if (!id.ok()) {
    logger()->error("kafka InitProducerId: {}", id.status().to_string());
    response.error_code = kafka_error_code(id.status());
  } else {
    response.producer_id = *id;
    response.producer_epoch = 0;
  }
  send_response(request, response);
}

}  // namespace strata::broker::kafka
