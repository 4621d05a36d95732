#include "broker/kafka/protocol/response.h"

#include <string>

namespace strata::kafka {

namespace {
constexpr std::int16_t kUnsupportedVersion = 35;
}  // namespace

Status detail::check_response_version(ApiKey key, std::int16_t api_version) {
  if (!is_advertised(to_int(key), api_version)) {
    return invalid_argument_error("kafka: " + api_name(to_int(key)) + " v" +
                                  std::to_string(api_version) + " is not supported");
  }
  return Status::ok_status();
}

Status append_response(Buffer& out, std::int32_t correlation_id, std::int16_t api_version,
                       const ResponseBody& body) {
  return std::visit(
      [&](const auto& b) { return append_response(out, correlation_id, api_version, b); }, body);
}

Buffer encode_api_versions_unsupported(std::int32_t correlation_id) {
  const ApiVersionRange* row = find_api(to_int(ApiKey::api_versions));
  ApiVersionsResponse body;
  body.error_code = kUnsupportedVersion;
  body.api_keys.push_back({to_int(ApiKey::api_versions), row->min_version, row->max_version});
  Buffer out;
  Status status = append_response(out, correlation_id, 0, body);
  STRATA_CHECK(status.ok(), "the v0 ApiVersions answer always encodes");
  return out;
}

Result<Response> decode_response(std::int16_t api_key, std::int16_t api_version,
                                 ByteSpan payload) {
  const std::string what = api_name(api_key) + " v" + std::to_string(api_version) + " response";
  if (!is_advertised(api_key, api_version)) {
    return unsupported_error("kafka: " + what + " is not supported");
  }
  Response out;
  if (!detail::emplace_for_key(out.body, static_cast<ApiKey>(api_key))) {
    return internal_error("kafka: no response type for " + what);
  }
  Reader in(payload, is_flexible(api_key, api_version));
  read_response_header(in, out.correlation_id, response_header_version(api_key, api_version));
  std::visit([&](auto& b) { read(in, api_version, b); }, out.body);
  in.expect_end();
  if (!in.ok()) return in.status().with_context(what);
  return out;
}

}  // namespace strata::kafka
