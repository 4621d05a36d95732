#include "broker/kafka/protocol/delete_topics.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t /*version*/, M& m) {
  io.string_array(m.topic_names);
  io.int32(m.timeout_ms);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 1) io.int32(m.throttle_time_ms);
  io.array(m.responses, [&](auto& topic) {
    io.string(topic.name);
    io.int16(topic.error_code);
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, DeleteTopicsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DeleteTopicsRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, DeleteTopicsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DeleteTopicsResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
