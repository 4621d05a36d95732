#include "broker/kafka/protocol/writer.h"

#include <limits>

#include "common/endian.h"
#include "common/varint.h"

namespace strata::kafka {

namespace {

template <typename T>
void put_be(Buffer& out, T v) {
  std::byte tmp[sizeof(T)];
  store_be(tmp, v);
  out.insert(out.end(), tmp, tmp + sizeof(T));
}

constexpr std::size_t kMaxInt16 = std::numeric_limits<std::int16_t>::max();
constexpr std::size_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();

}  // namespace

void Writer::fail(const std::string& what) {
  if (ok()) status_ = invalid_argument_error("kafka: cannot encode: " + what);
}

void Writer::raw(const void* p, std::size_t n) {
  if (n == 0) return;
  const auto* b = static_cast<const std::byte*>(p);
  out_.insert(out_.end(), b, b + n);
}

void Writer::int8(std::int8_t v) { out_.push_back(static_cast<std::byte>(v)); }
void Writer::int16(std::int16_t v) { put_be(out_, v); }
void Writer::int32(std::int32_t v) { put_be(out_, v); }
void Writer::int64(std::int64_t v) { put_be(out_, v); }
void Writer::uint32(std::uint32_t v) { put_be(out_, v); }
void Writer::boolean(bool v) { out_.push_back(std::byte{v ? std::uint8_t{1} : std::uint8_t{0}}); }
void Writer::uuid(const Uuid& v) { raw(v.data(), v.size()); }
void Writer::varint(std::int32_t v) { put_varint(out_, v); }
void Writer::varlong(std::int64_t v) { put_varlong(out_, v); }

void Writer::unsigned_varint(std::uint32_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<std::byte>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<std::byte>(v));
}

void Writer::legacy_string(const std::string& v) {
  if (v.size() > kMaxInt16) return fail("string of " + std::to_string(v.size()) + " bytes");
  int16(static_cast<std::int16_t>(v.size()));
  raw(v.data(), v.size());
}
void Writer::legacy_nullable_string(const std::optional<std::string>& v) {
  if (!v) return int16(-1);
  legacy_string(*v);
}
void Writer::legacy_bytes(const Buffer& v) {
  if (v.size() > kMaxInt32) return fail("bytes of " + std::to_string(v.size()) + " bytes");
  int32(static_cast<std::int32_t>(v.size()));
  raw(v.data(), v.size());
}
void Writer::legacy_nullable_bytes(const std::optional<Buffer>& v) {
  if (!v) return int32(-1);
  legacy_bytes(*v);
}
void Writer::compact_string(const std::string& v) {
  if (v.size() >= kMaxInt32) return fail("string of " + std::to_string(v.size()) + " bytes");
  unsigned_varint(static_cast<std::uint32_t>(v.size() + 1));
  raw(v.data(), v.size());
}
void Writer::compact_nullable_string(const std::optional<std::string>& v) {
  if (!v) return unsigned_varint(0);
  compact_string(*v);
}
void Writer::compact_bytes(const Buffer& v) {
  if (v.size() >= kMaxInt32) return fail("bytes of " + std::to_string(v.size()) + " bytes");
  unsigned_varint(static_cast<std::uint32_t>(v.size() + 1));
  raw(v.data(), v.size());
}
void Writer::compact_nullable_bytes(const std::optional<Buffer>& v) {
  if (!v) return unsigned_varint(0);
  compact_bytes(*v);
}

void Writer::string(const std::string& v) { flexible_ ? compact_string(v) : legacy_string(v); }
void Writer::nullable_string(const std::optional<std::string>& v) {
  flexible_ ? compact_nullable_string(v) : legacy_nullable_string(v);
}
void Writer::bytes(const Buffer& v) { flexible_ ? compact_bytes(v) : legacy_bytes(v); }
void Writer::nullable_bytes(const std::optional<Buffer>& v) {
  flexible_ ? compact_nullable_bytes(v) : legacy_nullable_bytes(v);
}

void Writer::records(const Records& v) {
  if (v.is_null()) return flexible_ ? unsigned_varint(0) : int32(-1);
  if (v.size() >= kMaxInt32) return fail("records of " + std::to_string(v.size()) + " bytes");
  if (flexible_) {
    unsigned_varint(static_cast<std::uint32_t>(v.size() + 1));
  } else {
    int32(static_cast<std::int32_t>(v.size()));
  }
  raw(v.bytes->data(), v.size());
}

bool Writer::array_length(std::size_t n) {
  if (n >= kMaxInt32) {
    fail("array of " + std::to_string(n) + " elements");
    return false;
  }
  if (flexible_) {
    unsigned_varint(static_cast<std::uint32_t>(n + 1));
  } else {
    int32(static_cast<std::int32_t>(n));
  }
  return true;
}

void Writer::tagged_fields() {
  if (flexible_) unsigned_varint(0);
}

}  // namespace strata::kafka
