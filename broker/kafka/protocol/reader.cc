#include "broker/kafka/protocol/reader.h"

#include <cstring>

#include "common/endian.h"
#include "common/varint.h"

namespace strata::kafka {

void Reader::fail(const std::string& what) {
  if (!ok()) return;
  status_ = corruption_error("kafka: " + what + " at byte " + std::to_string(pos_) + " of " +
                             std::to_string(in_.size()));
}

void Reader::expect_end() {
  if (ok() && remaining() != 0) fail(std::to_string(remaining()) + " trailing bytes");
}

const std::byte* Reader::take(std::size_t n) {
  if (!ok()) return nullptr;
  if (n > remaining()) {
    fail("need " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left");
    return nullptr;
  }
  const std::byte* p = in_.data() + pos_;
  pos_ += n;
  return p;
}

bool Reader::charge(std::size_t bytes, const char* what, std::size_t count, const char* unit) {
  if (!ok()) return false;
  // charged_ <= budget_ always holds, so the subtraction cannot wrap.
  if (bytes > budget_ - charged_) {
    fail(std::string(what) + " of " + std::to_string(count) + " " + unit +
         " would take the decoded message to " + std::to_string(charged_ + bytes) +
         " bytes in memory, over its decode budget of " + std::to_string(budget_));
    return false;
  }
  charged_ += bytes;
  return true;
}

void Reader::int8(std::int8_t& v) {
  if (const std::byte* p = take(1)) v = static_cast<std::int8_t>(*p);
}
void Reader::int16(std::int16_t& v) {
  if (const std::byte* p = take(2)) v = load_be<std::int16_t>(p);
}
void Reader::int32(std::int32_t& v) {
  if (const std::byte* p = take(4)) v = load_be<std::int32_t>(p);
}
void Reader::int64(std::int64_t& v) {
  if (const std::byte* p = take(8)) v = load_be<std::int64_t>(p);
}
void Reader::uint32(std::uint32_t& v) {
  if (const std::byte* p = take(4)) v = load_be<std::uint32_t>(p);
}
void Reader::boolean(bool& v) {
  if (const std::byte* p = take(1)) v = *p != std::byte{0};
}
void Reader::uuid(Uuid& v) {
  if (const std::byte* p = take(v.size())) std::memcpy(v.data(), p, v.size());
}

void Reader::varint(std::int32_t& v) {
  if (!ok()) return;
  Result<std::int32_t> r = read_varint(in_, pos_);
  if (!r.ok()) return fail("bad varint");
  v = *r;
}

void Reader::varlong(std::int64_t& v) {
  if (!ok()) return;
  Result<std::int64_t> r = read_varlong(in_, pos_);
  if (!r.ok()) return fail("bad varlong");
  v = *r;
}

void Reader::unsigned_varint(std::uint32_t& v) {
  if (!ok()) return;
  std::uint32_t u = 0;
  for (unsigned i = 0; i < 5; ++i) {
    const std::byte* p = take(1);
    if (p == nullptr) return;
    const auto b = static_cast<std::uint32_t>(*p);
    // The fifth group has room for the top 4 bits of 32 only.
    if (i == 4 && b > 0x0F) return fail("unsigned varint overflows 32 bits");
    u |= (b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      v = u;
      return;
    }
  }
}

bool Reader::length(LengthKind kind, bool nullable, bool& is_null, std::size_t& n) {
  if (!ok()) return false;
  std::int64_t declared = 0;
  switch (kind) {
    case LengthKind::int16: {
      std::int16_t x = 0;
      int16(x);
      declared = x;
      break;
    }
    case LengthKind::int32: {
      std::int32_t x = 0;
      int32(x);
      declared = x;
      break;
    }
    case LengthKind::compact: {
      std::uint32_t x = 0;
      unsigned_varint(x);
      declared = static_cast<std::int64_t>(x) - 1;
      break;
    }
  }
  if (!ok()) return false;
  is_null = declared == -1;
  if (is_null && !nullable) {
    fail("null where the field is not nullable");
    return false;
  }
  if (declared < -1) {
    fail("negative length " + std::to_string(declared));
    return false;
  }
  n = is_null ? 0 : static_cast<std::size_t>(declared);
  if (n > remaining()) {
    fail("length " + std::to_string(n) + " exceeds the " + std::to_string(remaining()) +
         " bytes left");
    return false;
  }
  return true;
}

bool Reader::array_length(bool nullable, bool& is_null, std::size_t& n) {
  return length(flexible_ ? LengthKind::compact : LengthKind::int32, nullable, is_null, n);
}

void Reader::text(LengthKind kind, bool nullable, std::optional<std::string>& v) {
  bool is_null = false;
  std::size_t n = 0;
  if (!length(kind, nullable, is_null, n)) return;
  if (is_null) {
    v.reset();
    return;
  }
  // Short strings live inside the std::string (SSO) and cost nothing extra.
  static const std::size_t kInlineChars = std::string().capacity();
  if (n > kInlineChars && !charge(n + 1 + kHeapBlockOverheadBytes, "a string", n, "bytes")) {
    return;
  }
  const std::byte* p = take(n);
  if (p != nullptr) v.emplace(reinterpret_cast<const char*>(p), n);
}

void Reader::blob(LengthKind kind, bool nullable, std::optional<Buffer>& v) {
  bool is_null = false;
  std::size_t n = 0;
  if (!length(kind, nullable, is_null, n)) return;
  if (is_null) {
    v.reset();
    return;
  }
  if (n > 0 && !charge(n + kHeapBlockOverheadBytes, "a bytes field", n, "bytes")) return;
  const std::byte* p = take(n);
  if (p != nullptr) v.emplace(p, p + n);
}

void Reader::legacy_string(std::string& v) {
  std::optional<std::string> s;
  text(LengthKind::int16, false, s);
  if (s) v = std::move(*s);
}
void Reader::legacy_nullable_string(std::optional<std::string>& v) {
  text(LengthKind::int16, true, v);
}
void Reader::legacy_bytes(Buffer& v) {
  std::optional<Buffer> b;
  blob(LengthKind::int32, false, b);
  if (b) v = std::move(*b);
}
void Reader::legacy_nullable_bytes(std::optional<Buffer>& v) { blob(LengthKind::int32, true, v); }
void Reader::compact_string(std::string& v) {
  std::optional<std::string> s;
  text(LengthKind::compact, false, s);
  if (s) v = std::move(*s);
}
void Reader::compact_nullable_string(std::optional<std::string>& v) {
  text(LengthKind::compact, true, v);
}
void Reader::compact_bytes(Buffer& v) {
  std::optional<Buffer> b;
  blob(LengthKind::compact, false, b);
  if (b) v = std::move(*b);
}
void Reader::compact_nullable_bytes(std::optional<Buffer>& v) {
  blob(LengthKind::compact, true, v);
}

void Reader::string(std::string& v) { flexible_ ? compact_string(v) : legacy_string(v); }
void Reader::nullable_string(std::optional<std::string>& v) {
  flexible_ ? compact_nullable_string(v) : legacy_nullable_string(v);
}
void Reader::bytes(Buffer& v) { flexible_ ? compact_bytes(v) : legacy_bytes(v); }
void Reader::nullable_bytes(std::optional<Buffer>& v) {
  flexible_ ? compact_nullable_bytes(v) : legacy_nullable_bytes(v);
}

void Reader::records(Records& v) {
  bool is_null = false;
  std::size_t n = 0;
  if (!length(flexible_ ? LengthKind::compact : LengthKind::int32, true, is_null, n)) return;
  if (is_null) {
    v = Records::null();
    return;
  }
  const std::byte* p = take(n);
  if (p != nullptr) v = Records::of(ByteSpan(p, n));
}

void Reader::tagged_fields() {
  if (!flexible_ || !ok()) return;
  std::uint32_t count = 0;
  unsigned_varint(count);
  if (!ok()) return;
  if (count > remaining()) return fail("tagged field count " + std::to_string(count) + " too big");
  std::int64_t last_tag = -1;
  for (std::uint32_t i = 0; i < count && ok(); ++i) {
    std::uint32_t tag = 0;
    std::uint32_t size = 0;
    unsigned_varint(tag);
    unsigned_varint(size);
    if (!ok()) return;
    if (static_cast<std::int64_t>(tag) <= last_tag) return fail("tagged field tags out of order");
    last_tag = tag;
    take(size);  // unknown to us: skipped, bounded by take()
  }
}

}  // namespace strata::kafka
