#include "broker/kafka/protocol/sasl_handshake.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t, M& m) {
  io.string(m.mechanism);
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t, M& m) {
  io.int16(m.error_code);
  io.string_array(m.mechanisms);
}

}  // namespace

void read(Reader& in, std::int16_t v, SaslHandshakeRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const SaslHandshakeRequest& m) {
  request_fields(out, v, m);
}
void read(Reader& in, std::int16_t v, SaslHandshakeResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const SaslHandshakeResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
