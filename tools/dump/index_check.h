#pragma once

// Checks a segment's offset index (.index) and time index (.timeindex)
// against the batches its .log holds. Layouts (docs/formats/partition-log.md):
//   .index      8-byte entries: relative_offset u32, position u32 (big-endian);
//               entry (r, p): the batch at byte p of the .log starts at offset
//               base + r. Both fields rise strictly.
//   .timeindex  12-byte entries: timestamp i64, relative_offset u32
//               (big-endian); entry (T, r): a batch starts at base + r, and
//               every batch up to and including it has max timestamp <= T.
//               Both fields rise strictly.

#include <cstdint>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "tools/dump/segment_scan.h"

namespace strata::dump {

// Where one complete batch of a segment sits, as the scan found it.
struct BatchLocation {
  std::uint64_t position = 0;
  Offset base_offset;
  std::int64_t max_timestamp = -1;
  // Passed validation; a batch that did not still marks a batch boundary,
  // but its timestamps are not trusted.
  bool is_valid = false;
};

// The damage found in the indexes beside `segment` (same name, .index and
// .timeindex), given the complete batches of its log in file order. Each
// finding names the index file and the byte of the entry. A missing index
// file is not damage (the log rebuilds it); at most kMaxFindingsPerIndex
// are reported per file. Errors: io_error when an index cannot be read.
inline constexpr std::size_t kMaxFindingsPerIndex = 10;
Result<std::vector<Finding>> check_indexes(const SegmentReport& segment,
                                           const std::vector<BatchLocation>& batches);

}  // namespace strata::dump
