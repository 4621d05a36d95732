#include "broker/kafka/protocol/describe_groups.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.string_array(m.groups);
  if (v >= 3) io.boolean(m.include_authorized_operations);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 1) io.int32(m.throttle_time_ms);
  io.array(m.groups, [&](auto& group) {
    io.int16(group.error_code);
    io.string(group.group_id);
    io.string(group.group_state);
    io.string(group.protocol_type);
    io.string(group.protocol_data);
    io.array(group.members, [&](auto& member) {
      io.string(member.member_id);
      if (v >= 4) io.nullable_string(member.group_instance_id);
      io.string(member.client_id);
      io.string(member.client_host);
      io.bytes(member.member_metadata);
      io.bytes(member.member_assignment);
      io.tagged_fields();
    });
    if (v >= 3) io.int32(group.authorized_operations);
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, DescribeGroupsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DescribeGroupsRequest& m) {
  request_fields(out, v, m);
}
void read(Reader& in, std::int16_t v, DescribeGroupsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DescribeGroupsResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
