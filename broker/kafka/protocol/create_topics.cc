#include "broker/kafka/protocol/create_topics.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.int32(topic.num_partitions);
    io.int16(topic.replication_factor);
    io.array(topic.assignments, [&](auto& assignment) {
      io.int32(assignment.partition_index);
      io.int32_array(assignment.broker_ids);
      io.tagged_fields();
    });
    io.array(topic.configs, [&](auto& config) {
      io.string(config.name);
      io.nullable_string(config.value);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.int32(m.timeout_ms);
  if (v >= 1) io.boolean(m.validate_only);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 2) io.int32(m.throttle_time_ms);
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.int16(topic.error_code);
    if (v >= 1) io.nullable_string(topic.error_message);
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, CreateTopicsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const CreateTopicsRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, CreateTopicsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const CreateTopicsResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
