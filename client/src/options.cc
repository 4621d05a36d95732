#include <strata/options.h>

#include <string>

namespace strata::client {

std::string_view to_string(CompressionType type) {
  switch (type) {
    case CompressionType::none: return "none";
    case CompressionType::gzip: return "gzip";
    case CompressionType::snappy: return "snappy";
    case CompressionType::lz4: return "lz4";
    case CompressionType::zstd: return "zstd";
  }
  return "unknown";
}

Result<CompressionType> parse_compression(std::string_view name) {
  for (auto type : {CompressionType::none, CompressionType::gzip, CompressionType::snappy,
                    CompressionType::lz4, CompressionType::zstd}) {
    if (name == to_string(type)) return type;
  }
  return invalid_argument_error("compression '" + std::string(name) +
                                "' is not one of none, gzip, snappy, lz4, zstd");
}

std::string_view to_string(Acks acks) {
  switch (acks) {
    case Acks::none: return "0";
    case Acks::leader: return "1";
    case Acks::all: return "all";
  }
  return "unknown";
}

Result<Acks> parse_acks(std::string_view name) {
  if (name == "0") return Acks::none;
  if (name == "1") return Acks::leader;
  if (name == "all" || name == "-1") return Acks::all;
  return invalid_argument_error("acks '" + std::string(name) + "' is not one of 0, 1, all");
}

std::string_view to_string(OffsetReset reset) {
  return reset == OffsetReset::earliest ? "earliest" : "latest";
}

Result<OffsetReset> parse_offset_reset(std::string_view name) {
  if (name == "earliest") return OffsetReset::earliest;
  if (name == "latest") return OffsetReset::latest;
  return invalid_argument_error("auto.offset.reset '" + std::string(name) +
                                "' is not one of earliest, latest");
}

}  // namespace strata::client
