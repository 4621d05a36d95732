#include "broker/kafka/protocol/offset_fetch.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.string(m.group_id);
  io.nullable_array(m.topics, v >= 2, [&](auto& topic) {
    io.string(topic.name);
    io.int32_array(topic.partition_indexes);
    io.tagged_fields();
  });
  if (v >= 7) io.boolean(m.require_stable);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 3) io.int32(m.throttle_time_ms);
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition_index);
      io.int64(partition.committed_offset);
      if (v >= 5) io.int32(partition.committed_leader_epoch);
      io.nullable_string(partition.metadata);
      io.int16(partition.error_code);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  if (v >= 2) io.int16(m.error_code);
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, OffsetFetchRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const OffsetFetchRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, OffsetFetchResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const OffsetFetchResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
