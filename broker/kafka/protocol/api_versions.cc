#include "broker/kafka/protocol/api_versions.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 3) {
    io.string(m.client_software_name);
    io.string(m.client_software_version);
  }
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  io.int16(m.error_code);
  io.array(m.api_keys, [&](auto& k) {
    io.int16(k.api_key);
    io.int16(k.min_version);
    io.int16(k.max_version);
    io.tagged_fields();
  });
  if (v >= 1) io.int32(m.throttle_time_ms);
  io.tagged_fields();
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

ApiVersionsResponse make_api_versions_response() {
  ApiVersionsResponse r;
  for (const ApiVersionRange& row : supported_apis()) {
    r.api_keys.push_back({to_int(row.api_key), row.min_version, row.max_version});
  }
  return r;
}

bool is_valid_client_software_field(std::string_view value) {
  if (value.empty() || !is_alnum(value.front()) || !is_alnum(value.back())) return false;
  for (char c : value) {
    if (!is_alnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

void read(Reader& in, std::int16_t v, ApiVersionsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const ApiVersionsRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, ApiVersionsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const ApiVersionsResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
