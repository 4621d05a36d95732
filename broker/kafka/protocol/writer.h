#pragma once

// Writing Kafka's primitive types; the mirror image of reader.h, with the
// same method names so that one field list serves both directions.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/wire_types.h"
#include "common/bytes.h"
#include "common/status.h"

namespace strata::kafka {

// Appends encoded values to a caller-owned buffer (which must outlive the
// writer). Values the wire cannot carry (a string over 32767 bytes in a fixed
// encoding, null where the field is not nullable) set a sticky
// `invalid_argument` status; the buffer's content is then unspecified.
// `flexible` selects the compact encodings for the version-aware calls.
// Not thread-safe.
class Writer {
 public:
  Writer(Buffer& out, bool flexible) : out_(out), flexible_(flexible) {}

  bool flexible() const { return flexible_; }
  void set_flexible(bool flexible) { flexible_ = flexible; }
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  void fail(const std::string& what);

  void int8(std::int8_t v);
  void int16(std::int16_t v);
  void int32(std::int32_t v);
  void int64(std::int64_t v);
  void uint32(std::uint32_t v);
  void boolean(bool v);
  void uuid(const Uuid& v);
  void varint(std::int32_t v);
  void varlong(std::int64_t v);
  void unsigned_varint(std::uint32_t v);

  void legacy_string(const std::string& v);
  void legacy_nullable_string(const std::optional<std::string>& v);
  void legacy_bytes(const Buffer& v);
  void legacy_nullable_bytes(const std::optional<Buffer>& v);
  void compact_string(const std::string& v);
  void compact_nullable_string(const std::optional<std::string>& v);
  void compact_bytes(const Buffer& v);
  void compact_nullable_bytes(const std::optional<Buffer>& v);

  void string(const std::string& v);
  void nullable_string(const std::optional<std::string>& v);
  void bytes(const Buffer& v);
  void nullable_bytes(const std::optional<Buffer>& v);
  void records(const Records& v);

  template <typename T, typename F>
  void array(const std::vector<T>& v, F&& each) {
    if (!array_length(v.size())) return;
    for (const T& x : v) each(x);
  }
  template <typename T, typename F>
  void nullable_array(const std::optional<std::vector<T>>& v, bool nullable, F&& each) {
    if (!v) {
      if (!nullable) return fail("null array where the field is not nullable");
      return flexible_ ? unsigned_varint(0) : int32(-1);
    }
    array(*v, each);
  }
  void int32_array(const std::vector<std::int32_t>& v) {
    array(v, [this](std::int32_t x) { int32(x); });
  }
  void int64_array(const std::vector<std::int64_t>& v) {
    array(v, [this](std::int64_t x) { int64(x); });
  }
  void string_array(const std::vector<std::string>& v) {
    array(v, [this](const std::string& x) { string(x); });
  }
  void nullable_string_array(const std::optional<std::vector<std::string>>& v, bool nullable) {
    nullable_array(v, nullable, [this](const std::string& x) { string(x); });
  }

  // Flexible versions only: an empty tagged-field section (count 0).
  void tagged_fields();

 private:
  bool array_length(std::size_t n);
  void raw(const void* p, std::size_t n);

  Buffer& out_;
  bool flexible_;
  Status status_;
};

}  // namespace strata::kafka
