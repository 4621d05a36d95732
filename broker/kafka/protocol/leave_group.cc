#include "broker/kafka/protocol/leave_group.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.string(m.group_id);
  if (v >= 0 && v <= 2) io.string(m.member_id);
  if (v >= 3) {
    io.array(m.members, [&](auto& member) {
      io.string(member.member_id);
      io.nullable_string(member.group_instance_id);
      io.tagged_fields();
    });
  }
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 1) io.int32(m.throttle_time_ms);
  io.int16(m.error_code);
  if (v >= 3) {
    io.array(m.members, [&](auto& member) {
      io.string(member.member_id);
      io.nullable_string(member.group_instance_id);
      io.int16(member.error_code);
      io.tagged_fields();
    });
  }
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, LeaveGroupRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const LeaveGroupRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, LeaveGroupResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const LeaveGroupResponse& m) { response_fields(out, v, m); }

}  // namespace strata::kafka
