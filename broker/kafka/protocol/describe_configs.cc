#include "broker/kafka/protocol/describe_configs.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.array(m.resources, [&](auto& resource) {
    io.int8(resource.resource_type);
    io.string(resource.resource_name);
    io.nullable_string_array(resource.configuration_keys, true);
    io.tagged_fields();
  });
  if (v >= 1) io.boolean(m.include_synonyms);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  io.int32(m.throttle_time_ms);
  io.array(m.results, [&](auto& result) {
    io.int16(result.error_code);
    io.nullable_string(result.error_message);
    io.int8(result.resource_type);
    io.string(result.resource_name);
    io.array(result.configs, [&](auto& config) {
      io.string(config.name);
      io.nullable_string(config.value);
      io.boolean(config.read_only);
      if (v == 0) io.boolean(config.is_default);
      if (v >= 1) io.int8(config.config_source);
      io.boolean(config.is_sensitive);
      if (v >= 1) {
        io.array(config.synonyms, [&](auto& synonym) {
          io.string(synonym.name);
          io.nullable_string(synonym.value);
          io.int8(synonym.source);
          io.tagged_fields();
        });
      }
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, DescribeConfigsRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DescribeConfigsRequest& m) {
  request_fields(out, v, m);
}
void read(Reader& in, std::int16_t v, DescribeConfigsResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const DescribeConfigsResponse& m) {
  response_fields(out, v, m);
}

}  // namespace strata::kafka
