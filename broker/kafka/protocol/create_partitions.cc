#include "broker/kafka/protocol/create_partitions.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t /*version*/, M& m) {
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.int32(topic.count);
    io.nullable_array(topic.assignments, true, [&](auto& assignment) {
      io.int32_array(assignment.broker_ids);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.int32(m.timeout_ms);
  io.boolean(m.validate_only);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t /*version*/, M& m) {
  io.int32(m.throttle_time_ms);
  io.array(m.results, [&](auto& result) {
    io.string(result.name);
    io.int16(result.error_code);
    io.nullable_string(result.error_message);
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, CreatePartitionsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const CreatePartitionsRequest& m) {
  request_fields(out, v, m);
}
void read(Reader& in, std::int16_t v, CreatePartitionsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const CreatePartitionsResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
