#include "broker/kafka/protocol/produce.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 3) io.nullable_string(m.transactional_id);
  io.int16(m.acks);
  io.int32(m.timeout_ms);
  io.array(m.topic_data, [&](auto& topic) {
    io.string(topic.name);
    io.array(topic.partition_data, [&](auto& partition) {
      io.int32(partition.index);
      io.records(partition.records);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  io.array(m.responses, [&](auto& topic) {
    io.string(topic.name);
    io.array(topic.partition_responses, [&](auto& partition) {
      io.int32(partition.index);
      io.int16(partition.error_code);
      io.int64(partition.base_offset);
      if (v >= 2) io.int64(partition.log_append_time_ms);
      if (v >= 5) io.int64(partition.log_start_offset);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  if (v >= 1) io.int32(m.throttle_time_ms);
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, ProduceRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const ProduceRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, ProduceResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const ProduceResponse& m) { response_fields(out, v, m); }

}  // namespace strata::kafka
