#include "broker/kafka/protocol/delete_records.h"

namespace strata::kafka {

namespace {

// v1 is v0 (a throttling change); v2 is v1 in flexible encoding.
template <typename Io, typename M>
void request_fields(Io& io, std::int16_t /*version*/, M& m) {
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition_index);
      io.int64(partition.offset);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.int32(m.timeout_ms);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t /*version*/, M& m) {
  io.int32(m.throttle_time_ms);
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition_index);
      io.int64(partition.low_watermark);
      io.int16(partition.error_code);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, DeleteRecordsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DeleteRecordsRequest& m) {
  request_fields(out, v, m);
}
void read(Reader& in, std::int16_t v, DeleteRecordsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DeleteRecordsResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
