#pragma once

// Value types that Kafka messages carry besides integers and strings: the
// 16-byte uuid and the opaque "records" field. See docs/kafka-protocol.md.

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "common/bytes.h"

namespace strata::kafka {

// A Kafka uuid (topic ids): 16 raw bytes, all zero meaning "none".
using Uuid = std::array<std::uint8_t, 16>;

// The `records` field of Produce requests and Fetch responses: RecordBatch v2
// bytes, never decoded by the protocol codec. Borrowed: a decoded value points
// into the frame it came from, so that frame must outlive it; a value built
// for encoding must point at bytes that live until encoding is done. Null
// (no bytes at all) is distinct from empty.
struct Records {
  std::optional<ByteSpan> bytes;

  static Records null() { return {}; }
  static Records of(ByteSpan b) { return Records{b}; }
  bool is_null() const { return !bytes.has_value(); }
  std::size_t size() const { return bytes ? bytes->size() : 0; }

  // Equal when both are null or both hold the same byte sequence.
  friend bool operator==(const Records& a, const Records& b) {
    if (a.is_null() || b.is_null()) return a.is_null() == b.is_null();
    return std::equal(a.bytes->begin(), a.bytes->end(), b.bytes->begin(), b.bytes->end());
  }
};

}  // namespace strata::kafka
