#include "broker/kafka/protocol/find_coordinator.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.string(m.key);
  if (v >= 1) io.int8(m.key_type);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 1) io.int32(m.throttle_time_ms);
  io.int16(m.error_code);
  if (v >= 1) io.nullable_string(m.error_message);
  io.int32(m.node_id);
  io.string(m.host);
  io.int32(m.port);
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, FindCoordinatorRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const FindCoordinatorRequest& m) {
  request_fields(out, v, m);
}
void read(Reader& in, std::int16_t v, FindCoordinatorResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const FindCoordinatorResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
