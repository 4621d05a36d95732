#pragma once

// Decodes the records of a validated RecordBatch v2. Layout and the limits
// enforced: docs/formats/record-batch.md.

#include <cstddef>
#include <functional>
#include <vector>

#include "common/record.h"
#include "common/record_batch.h"
#include "common/result.h"

namespace strata {

// Bounds on what decoding one batch may allocate.
struct RecordReadOptions {
  // The largest records section accepted after decompression; a batch that
  // inflates beyond it is refused with too_large.
  std::size_t max_uncompressed_bytes = 64 * 1024 * 1024;
};

// Decodes every record of `batch` (decompressing its records section) into
// records with absolute offsets (base_offset + offset delta) and timestamps
// (base_timestamp + timestamp delta, or max_timestamp for every record when
// the batch uses log-append time). Never reads outside `batch` and never
// allocates more than the bytes present or the decompression bound allow.
// Errors: corruption when the records do not match the header (fewer or
// more records than record_count, bytes left over), a length is negative
// (other than -1 for a null key/value) or runs past its record, a varint is
// malformed, offset deltas are not increasing within [0, last_offset_delta],
// a header key is null, or the compressed stream is invalid; too_large when
// decompression would pass options.max_uncompressed_bytes.
Result<std::vector<Record>> read_records(const RecordBatchView& batch,
                                         const RecordReadOptions& options = {});

// Called once per record, in order; a non-ok status stops decoding and is
// returned as is.
using RecordVisitor = std::function<Status(const RecordView&)>;

// The same decoding and checks as read_records, without copying: each record
// is handed to `visit` as a view into the batch. A corrupt record ends the
// walk with its error after the records before it were visited.
// A compressed batch is decompressed into `decompressed` when given (else a
// buffer that dies with the call): the views into it then stay valid as long
// as that buffer does.
Status for_each_record(const RecordBatchView& batch, const RecordVisitor& visit,
                       const RecordReadOptions& options = {}, Buffer* decompressed = nullptr);

}  // namespace strata
