#include "broker/kafka/protocol/request.h"

#include <string>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/frame.h"

namespace strata::kafka {

namespace {

std::string describe(std::int16_t api_key, std::int16_t api_version) {
  return api_name(api_key) + " v" + std::to_string(api_version);
}

}  // namespace

Result<RequestHeader> decode_request_header(ByteSpan payload, std::size_t& body_offset) {
  Reader in(payload, /*flexible=*/false);
  RequestHeader header;
  read_request_header(in, header);
  if (!in.ok()) return in.status().with_context("request header");
  body_offset = in.position();
  return header;
}

Result<RequestBody> decode_request_body(const RequestHeader& header, ByteSpan body) {
  if (!is_advertised(header.api_key, header.api_version)) {
    return unsupported_error("kafka: " + describe(header.api_key, header.api_version) +
                             " is not supported");
  }
  RequestBody out;
  if (!detail::emplace_for_key(out, static_cast<ApiKey>(header.api_key))) {
    return internal_error("kafka: no request type for " + api_name(header.api_key));
  }
  Reader in(body, is_flexible(header.api_key, header.api_version));
  in.set_memory_budget(decode_budget_bytes(body.size()));
  std::visit([&](auto& b) { read(in, header.api_version, b); }, out);
  in.expect_end();
  if (!in.ok()) return in.status().with_context(describe(header.api_key, header.api_version));
  return out;
}

Result<Request> decode_request(ByteSpan payload) {
  std::size_t body_offset = 0;
  STRATA_TRY_ASSIGN(RequestHeader header, decode_request_header(payload, body_offset));
  STRATA_TRY_ASSIGN(RequestBody body, decode_request_body(header, payload.subspan(body_offset)));
  return Request{std::move(header), std::move(body)};
}

Status append_request(Buffer& out, const RequestHeader& header, const RequestBody& body) {
  if (to_int(api_key_of(body)) != header.api_key) {
    return invalid_argument_error("kafka: header names " + api_name(header.api_key) +
                                  " but the body is " + api_name(to_int(api_key_of(body))));
  }
  if (!is_advertised(header.api_key, header.api_version)) {
    return invalid_argument_error("kafka: " + describe(header.api_key, header.api_version) +
                                  " is not supported");
  }
  const std::size_t old_size = out.size();
  const std::size_t start = begin_frame(out);
  Writer w(out, is_flexible(header.api_key, header.api_version));
  write_request_header(w, header);
  std::visit([&](const auto& b) { write(w, header.api_version, b); }, body);
  Status status = w.ok() ? finish_frame(out, start) : w.status();
  if (!status.ok()) out.resize(old_size);
  return status;
}

}  // namespace strata::kafka
