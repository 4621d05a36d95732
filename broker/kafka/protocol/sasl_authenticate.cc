#include "broker/kafka/protocol/sasl_authenticate.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t, M& m) {
  io.bytes(m.auth_bytes);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  io.int16(m.error_code);
  io.nullable_string(m.error_message);
  io.bytes(m.auth_bytes);
  if (v >= 1) io.int64(m.session_lifetime_ms);
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, SaslAuthenticateRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const SaslAuthenticateRequest& m) {
  request_fields(out, v, m);
}
void read(Reader& in, std::int16_t v, SaslAuthenticateResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const SaslAuthenticateResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
