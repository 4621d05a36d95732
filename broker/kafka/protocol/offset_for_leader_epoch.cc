#include "broker/kafka/protocol/offset_for_leader_epoch.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 3) io.int32(m.replica_id);
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.topic);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition);
      if (v >= 2) io.int32(partition.current_leader_epoch);
      io.int32(partition.leader_epoch);
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
    io.string(topic.topic);
    io.array(topic.partitions, [&](auto& partition) {
      io.int16(partition.error_code);
      io.int32(partition.partition);
      if (v >= 1) io.int32(partition.leader_epoch);
      io.int64(partition.end_offset);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, OffsetForLeaderEpochRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const OffsetForLeaderEpochRequest& m) {
  request_fields(out, v, m);
}
void read(Reader& in, std::int16_t v, OffsetForLeaderEpochResponse& m) {
  response_fields(in, v, m);
}
void write(Writer& out, std::int16_t v, const OffsetForLeaderEpochResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
