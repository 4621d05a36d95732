#include "broker/kafka/protocol/join_group.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.string(m.group_id);
  io.int32(m.session_timeout_ms);
  if (v >= 1) io.int32(m.rebalance_timeout_ms);
  io.string(m.member_id);
  if (v >= 5) io.nullable_string(m.group_instance_id);
  io.string(m.protocol_type);
  io.array(m.protocols, [&](auto& protocol) {
    io.string(protocol.name);
    io.bytes(protocol.metadata);
    io.tagged_fields();
  });
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 2) io.int32(m.throttle_time_ms);
  io.int16(m.error_code);
  io.int32(m.generation_id);
  io.string(m.protocol_name);
  io.string(m.leader);
  io.string(m.member_id);
  io.array(m.members, [&](auto& member) {
    io.string(member.member_id);
    if (v >= 5) io.nullable_string(member.group_instance_id);
    io.bytes(member.metadata);
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, JoinGroupRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const JoinGroupRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, JoinGroupResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const JoinGroupResponse& m) { response_fields(out, v, m); }

}  // namespace strata::kafka
