// libFuzzer target for the Kafka request codec. The first byte picks an API
// from supported_apis(), the second a version in its advertised range; they
// replace the api_key/api_version of a request payload whose remaining bytes
// (correlation id, client id, header tags, body) come from the input. The
// input is also decoded as given (header included), as a response of the
// picked API, and as a frame size prefix. Nothing may crash, read out of
// bounds or allocate beyond the input; whatever decodes must re-encode and
// decode to the same message. See tests/fuzz/README.md.

#include <cstddef>
#include <cstdint>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/frame.h"
#include "broker/kafka/protocol/request.h"
#include "broker/kafka/protocol/response.h"
#include "common/endian.h"

namespace strata::kafka {
namespace {

void check_request_round_trip(const Request& request) {
  Buffer frame;
  STRATA_CHECK(append_request(frame, request.header, request.body).ok(),
               "a decoded request does not encode");
  Result<Request> again = decode_request(ByteSpan(frame).subspan(kFrameSizeBytes));
  STRATA_CHECK(again.ok(), "a re-encoded request does not decode");
  STRATA_CHECK(again->header == request.header && again->body == request.body,
               "a request changed in a round trip");
}

void decode_as_handler_would(ByteSpan payload) {
  std::size_t body_offset = 0;
  Result<RequestHeader> header = decode_request_header(payload, body_offset);
  if (!header.ok()) return;
  STRATA_CHECK(body_offset <= payload.size(), "header consumed past the end");
  if (header->api_key == to_int(ApiKey::api_versions) &&
      !is_advertised(header->api_key, header->api_version)) {
    (void)encode_api_versions_unsupported(header->correlation_id);
    return;
  }
  Result<RequestBody> body = decode_request_body(*header, payload.subspan(body_offset));
  if (!body.ok()) return;
  check_request_round_trip(Request{*header, std::move(body).value()});
}

void decode_response_of(std::int16_t api_key, std::int16_t version, ByteSpan payload) {
  Result<Response> response = decode_response(api_key, version, payload);
  if (!response.ok()) return;
  Buffer frame;
  STRATA_CHECK(append_response(frame, response->correlation_id, version, response->body).ok(),
               "a decoded response does not encode");
  Result<Response> again = decode_response(api_key, version, ByteSpan(frame).subspan(4));
  STRATA_CHECK(again.ok() && again->body == response->body, "a response changed in a round trip");
}

}  // namespace
}  // namespace strata::kafka

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace strata;
  using namespace strata::kafka;
  const ByteSpan bytes(reinterpret_cast<const std::byte*>(data), size);

  (void)read_frame_size(bytes, kDefaultMaxFrameBytes, kMinRequestFrameBytes);
  decode_as_handler_would(bytes);
  if (size < 2) return 0;

  const auto apis = supported_apis();
  const ApiVersionRange& api = apis[data[0] % apis.size()];
  const int span = api.max_version - api.min_version + 1;
  const auto version = static_cast<std::int16_t>(api.min_version + data[1] % span);
  Buffer payload(4);
  store_be(payload.data(), to_int(api.api_key));
  store_be(payload.data() + 2, version);
  append(payload, bytes.subspan(2));
  decode_as_handler_would(payload);
  decode_response_of(to_int(api.api_key), version, bytes.subspan(2));
  return 0;
}
