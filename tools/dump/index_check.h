#pragma once

// Checks a segment's offset index (.index) and time index (.timeindex)
// against the batches its .log holds. Formats: docs/formats/.

#include <vector>

#include "common/result.h"
#include "tools/dump/segment_scan.h"

namespace strata::dump {

// The damage found in the indexes beside `segment` (same name, .index and
// .timeindex). A missing index file is not damage: the log rebuilds it.
// Errors: io_error when an index exists but cannot be read.
Result<std::vector<Finding>> check_indexes(const SegmentReport& segment);

}  // namespace strata::dump
