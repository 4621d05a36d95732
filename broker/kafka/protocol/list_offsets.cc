#include "broker/kafka/protocol/list_offsets.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.int32(m.replica_id);
  if (v >= 2) io.int8(m.isolation_level);
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition_index);
      if (v >= 4) io.int32(partition.current_leader_epoch);
      io.int64(partition.timestamp);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 2) io.int32(m.throttle_time_ms);
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition_index);
      io.int16(partition.error_code);
      io.int64(partition.timestamp);
      io.int64(partition.offset);
      if (v >= 4) io.int32(partition.leader_epoch);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, ListOffsetsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const ListOffsetsRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, ListOffsetsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const ListOffsetsResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
