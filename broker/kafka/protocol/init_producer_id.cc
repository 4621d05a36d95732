#include "broker/kafka/protocol/init_producer_id.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.nullable_string(m.transactional_id);
  io.int32(m.transaction_timeout_ms);
  if (v >= 3) io.int64(m.producer_id);
  if (v >= 3) io.int16(m.producer_epoch);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t /*version*/, M& m) {
  io.int32(m.throttle_time_ms);
  io.int16(m.error_code);
  io.int64(m.producer_id);
  io.int16(m.producer_epoch);
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, InitProducerIdRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const InitProducerIdRequest& m) {
  request_fields(out, v, m);
}
void read(Reader& in, std::int16_t v, InitProducerIdResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const InitProducerIdResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
