#include "broker/kafka/protocol/sync_group.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.string(m.group_id);
  io.int32(m.generation_id);
  io.string(m.member_id);
  if (v >= 3) io.nullable_string(m.group_instance_id);
  io.array(m.assignments, [&](auto& assignment) {
    io.string(assignment.member_id);
    io.bytes(assignment.assignment);
    io.tagged_fields();
  });
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 1) io.int32(m.throttle_time_ms);
  io.int16(m.error_code);
  io.bytes(m.assignment);
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, SyncGroupRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const SyncGroupRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, SyncGroupResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const SyncGroupResponse& m) { response_fields(out, v, m); }

}  // namespace strata::kafka
