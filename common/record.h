#pragma once

// One decoded record of a RecordBatch v2, with absolute offset and timestamp.
// Byte layout: docs/formats/record-batch.md.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/ids.h"

namespace strata {

// A record header: a non-null string key and a value that may be null.
struct RecordHeader {
  std::string key;
  std::optional<Buffer> value;  // nullopt = null, distinct from an empty value

  bool operator==(const RecordHeader&) const = default;
};

// A record as producers send it and consumers see it. A plain value type that
// owns its bytes. A null key or value (nullopt) is distinct from an empty one.
struct Record {
  Offset offset;
  std::int64_t timestamp = -1;  // milliseconds since the epoch; -1 = none
  std::optional<Buffer> key;
  std::optional<Buffer> value;
  std::vector<RecordHeader> headers;

  bool operator==(const Record&) const = default;
};

// A header of a RecordView: both point into the batch being decoded.
struct RecordHeaderView {
  std::string_view key;
  std::optional<ByteSpan> value;  // nullopt = null
};

// A decoded record whose key, value and headers point into the batch (or its
// decompressed records section): valid only while the decoder's callback
// runs. Lets a consumer copy each value once, straight into its own type.
struct RecordView {
  Offset offset;
  std::int64_t timestamp = -1;
  std::optional<ByteSpan> key;
  std::optional<ByteSpan> value;
  std::span<const RecordHeaderView> headers;
};

}  // namespace strata
