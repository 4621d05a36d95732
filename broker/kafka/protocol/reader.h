#pragma once

// Bounds-checked reading of Kafka's primitive types from one request or
// response body. See docs/kafka-protocol.md for the rules it enforces.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/wire_types.h"
#include "common/bytes.h"
#include "common/status.h"

namespace strata::kafka {

// A cursor over untrusted bytes. Every read checks the bytes left before
// touching or allocating anything; every declared length (string, bytes,
// array count, tagged field) is refused when it exceeds the bytes left. The
// first failure sticks: later reads do nothing, and status() reports it as a
// `corruption` error naming the position. `flexible` selects the compact
// encodings (KIP-482) for the version-aware calls (string(), array(), ...).
// An optional memory budget (set_memory_budget) caps what a decode may
// allocate: each array is charged count * sizeof(element) before its vector is
// reserved, each heap-allocated string or bytes its length plus
// kHeapBlockOverheadBytes; going over fails the decode (corruption) before
// the allocation. Records are borrowed and cost nothing. Borrows `in`, which
// must outlive the reader and any Records it produced. Not thread-safe; one
// decode at a time.
class Reader {
 public:
  Reader(ByteSpan in, bool flexible) : in_(in), flexible_(flexible) {}

  bool flexible() const { return flexible_; }
  // Switches encodings between the header and the body of one frame.
  void set_flexible(bool flexible) { flexible_ = flexible; }
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return in_.size() - pos_; }

  // What a heap block costs beyond its payload (allocator header, rounding).
  static constexpr std::size_t kHeapBlockOverheadBytes = 16;
  // Caps the bytes this reader's decode may materialise (unlimited until set).
  void set_memory_budget(std::size_t bytes) { budget_ = bytes; }
  std::size_t memory_budget() const { return budget_; }
  // Bytes charged so far: array slots plus heap-allocated strings and bytes.
  std::size_t materialised_bytes() const { return charged_; }

  // Records a corruption error at the current position unless one is set.
  void fail(const std::string& what);
  // Fails unless every byte has been read.
  void expect_end();

  void int8(std::int8_t& v);
  void int16(std::int16_t& v);
  void int32(std::int32_t& v);
  void int64(std::int64_t& v);
  void uint32(std::uint32_t& v);
  // Kafka booleans: one byte, any non-zero value is true.
  void boolean(bool& v);
  void uuid(Uuid& v);
  // Zigzag varints as in common/varint.h; unsigned_varint is the plain
  // base-128 form used by compact lengths and tags (at most 5 bytes).
  void varint(std::int32_t& v);
  void varlong(std::int64_t& v);
  void unsigned_varint(std::uint32_t& v);

  // Fixed encodings: int16 length for strings, int32 for bytes; -1 is null.
  void legacy_string(std::string& v);
  void legacy_nullable_string(std::optional<std::string>& v);
  void legacy_bytes(Buffer& v);
  void legacy_nullable_bytes(std::optional<Buffer>& v);
  // Compact encodings: unsigned varint length + 1, 0 is null.
  void compact_string(std::string& v);
  void compact_nullable_string(std::optional<std::string>& v);
  void compact_bytes(Buffer& v);
  void compact_nullable_bytes(std::optional<Buffer>& v);

  // Version-aware: compact when flexible, fixed otherwise. A null where the
  // type is not nullable is an error.
  void string(std::string& v);
  void nullable_string(std::optional<std::string>& v);
  void bytes(Buffer& v);
  void nullable_bytes(std::optional<Buffer>& v);
  // The records field: nullable bytes, borrowed from the input, not copied.
  void records(Records& v);

  // An array whose elements `each(T&)` reads. The count (int32, or compact
  // count + 1) may not exceed the bytes left, and every element must consume
  // at least one byte, so the vector never outgrows the input. The whole
  // vector is charged to the memory budget and reserved before any element is
  // read, so a refused array allocates nothing.
  template <typename T, typename F>
  void array(std::vector<T>& v, F&& each) {
    std::optional<std::vector<T>> opt;
    nullable_array(opt, /*nullable=*/false, each);
    if (opt) v = std::move(*opt);
  }
  // As array(); null is accepted only when `nullable` (the field's
  // nullableVersions include this version).
  template <typename T, typename F>
  void nullable_array(std::optional<std::vector<T>>& v, bool nullable, F&& each) {
    bool is_null = false;
    std::size_t count = 0;
    if (!array_length(nullable, is_null, count)) return;
    if (is_null) {
      v.reset();
      return;
    }
    // count <= remaining() < 2^32, so the product fits in 64 bits.
    if (!charge(count * sizeof(T), "an array", count, "elements")) return;
    v.emplace();
    v->reserve(count);
    for (std::size_t i = 0; i < count && ok(); ++i) {
      const std::size_t before = pos_;
      each(v->emplace_back());
      if (ok() && pos_ == before) fail("array element consumed no bytes");
    }
  }
  void int32_array(std::vector<std::int32_t>& v) {
    array(v, [this](std::int32_t& x) { int32(x); });
  }
  void int64_array(std::vector<std::int64_t>& v) {
    array(v, [this](std::int64_t& x) { int64(x); });
  }
  void string_array(std::vector<std::string>& v) {
    array(v, [this](std::string& x) { string(x); });
  }
  void nullable_string_array(std::optional<std::vector<std::string>>& v, bool nullable) {
    nullable_array(v, nullable, [this](std::string& x) { string(x); });
  }

  // Flexible versions only (no-op otherwise): reads the tagged-field section
  // and skips every field. Tags must strictly increase; counts and sizes are
  // bounded by the bytes left.
  void tagged_fields();

 private:
  enum class LengthKind { int16, int32, compact };
  // Reads a length prefix; false (and failed) on error. `is_null` for -1 / 0.
  bool length(LengthKind kind, bool nullable, bool& is_null, std::size_t& n);
  bool array_length(bool nullable, bool& is_null, std::size_t& n);
  // Returns a pointer to the next `n` bytes and advances, or null (failed).
  const std::byte* take(std::size_t n);
  // Adds `bytes` to what this decode materialises; false (and failed) when
  // that would exceed the budget. The error names `what` of `count` `unit`.
  bool charge(std::size_t bytes, const char* what, std::size_t count, const char* unit);
  void text(LengthKind kind, bool nullable, std::optional<std::string>& v);
  void blob(LengthKind kind, bool nullable, std::optional<Buffer>& v);

  ByteSpan in_;
  std::size_t pos_ = 0;
  bool flexible_;
  std::size_t budget_ = std::numeric_limits<std::size_t>::max();
  std::size_t charged_ = 0;
  Status status_;
};

}  // namespace strata::kafka
