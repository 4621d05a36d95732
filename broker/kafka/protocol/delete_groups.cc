#include "broker/kafka/protocol/delete_groups.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t /*version*/, M& m) {
  io.string_array(m.groups_names);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t /*version*/, M& m) {
  io.int32(m.throttle_time_ms);
  io.array(m.results, [&](auto& result) {
    io.string(result.group_id);
    io.int16(result.error_code);
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, DeleteGroupsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DeleteGroupsRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, DeleteGroupsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DeleteGroupsResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
