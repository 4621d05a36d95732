#include "broker/kafka/protocol/list_groups.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 4) io.string_array(m.states_filter);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 1) io.int32(m.throttle_time_ms);
  io.int16(m.error_code);
  io.array(m.groups, [&](auto& group) {
    io.string(group.group_id);
    io.string(group.protocol_type);
    if (v >= 4) io.string(group.group_state);
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, ListGroupsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const ListGroupsRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, ListGroupsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const ListGroupsResponse& m) { response_fields(out, v, m); }

}  // namespace strata::kafka
