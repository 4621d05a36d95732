#include "broker/kafka/protocol/header.h"

#include "broker/kafka/protocol/api_versions_table.h"

namespace strata::kafka {

std::int16_t request_header_version(std::int16_t api_key, std::int16_t api_version) {
  return is_flexible(api_key, api_version) ? 2 : 1;
}

std::int16_t response_header_version(std::int16_t api_key, std::int16_t api_version) {
  if (api_key == to_int(ApiKey::api_versions)) return 0;
  return is_flexible(api_key, api_version) ? 1 : 0;
}

void read_request_header(Reader& in, RequestHeader& header) {
  in.int16(header.api_key);
  in.int16(header.api_version);
  in.int32(header.correlation_id);
  in.legacy_nullable_string(header.client_id);
  if (request_header_version(header.api_key, header.api_version) >= 2) {
    const bool body_flexible = in.flexible();
    in.set_flexible(true);
    in.tagged_fields();
    in.set_flexible(body_flexible);
  }
}

void write_request_header(Writer& out, const RequestHeader& header) {
  out.int16(header.api_key);
  out.int16(header.api_version);
  out.int32(header.correlation_id);
  out.legacy_nullable_string(header.client_id);
  if (request_header_version(header.api_key, header.api_version) >= 2) {
    const bool body_flexible = out.flexible();
    out.set_flexible(true);
    out.tagged_fields();
    out.set_flexible(body_flexible);
  }
}

void write_response_header(Writer& out, std::int32_t correlation_id,
                           std::int16_t header_version) {
  out.int32(correlation_id);
  if (header_version >= 1) {
    const bool body_flexible = out.flexible();
    out.set_flexible(true);
    out.tagged_fields();
    out.set_flexible(body_flexible);
  }
}

void read_response_header(Reader& in, std::int32_t& correlation_id, std::int16_t header_version) {
  in.int32(correlation_id);
  if (header_version >= 1) {
    const bool body_flexible = in.flexible();
    in.set_flexible(true);
    in.tagged_fields();
    in.set_flexible(body_flexible);
  }
}

}  // namespace strata::kafka
