#include "tools/dump/record_format.h"

#include <cstdio>

namespace strata::dump {

std::string quote_bytes(ByteSpan bytes) {
  std::string out;
  out.reserve(bytes.size() + 2);
  out.push_back('"');
  for (std::byte b : bytes) {
    const auto c = static_cast<unsigned char>(b);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out.push_back(static_cast<char>(c));
        } else {
          char hex[5];
          std::snprintf(hex, sizeof(hex), "\\x%02x", c);
          out += hex;
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string quote_nullable(const std::optional<Buffer>& bytes) {
  return bytes ? quote_bytes(*bytes) : std::string("null");
}

std::string format_record(const Record& record) {
  std::string out = "offset=" + std::to_string(record.offset.value()) +
                    " timestamp=" + std::to_string(record.timestamp) +
                    " key=" + quote_nullable(record.key) +
                    " value=" + quote_nullable(record.value) +
                    " headers=[";
  for (std::size_t i = 0; i < record.headers.size(); ++i) {
    if (i > 0) out += ", ";
    const RecordHeader& h = record.headers[i];
    out += quote_bytes(as_bytes(h.key)) + "=" + quote_nullable(h.value);
  }
  out += "]";
  return out;
}

}  // namespace strata::dump
