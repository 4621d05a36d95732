#include "broker/kafka/protocol/offset_commit.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.string(m.group_id);
  io.int32(m.generation_id_or_member_epoch);
  io.string(m.member_id);
  if (v >= 7) io.nullable_string(m.group_instance_id);
  if (v >= 2 && v <= 4) io.int64(m.retention_time_ms);
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition_index);
      io.int64(partition.committed_offset);
      if (v >= 6) io.int32(partition.committed_leader_epoch);
      if (v == 1) io.int64(partition.commit_timestamp);
      io.nullable_string(partition.committed_metadata);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 3) io.int32(m.throttle_time_ms);
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.name);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition_index);
      io.int16(partition.error_code);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, OffsetCommitRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const OffsetCommitRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, OffsetCommitResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const OffsetCommitResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
