#pragma once

#include <cstdint>
#include <functional>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/record_batch.h"
#include "common/result.h"
#include "storage/file.h"

namespace strata::storage {

// How much of each batch a scan checks.
enum class ScanMode {
  headers,  // framing, magic, rising offsets (reads whole file sequentially, no CRC)
  full,     // the above plus RecordBatchView::validate (CRC, counts, codec)
};

// Why a scan stopped before reaching `end`, if it did.
enum class ScanStop { end, zero_fill, bad_batch };

struct ScanOutcome {
  std::uint64_t valid_end = 0;  // position after the last good batch
  Offset next_offset;           // after the last good batch (min_base when none)
  ScanStop stop = ScanStop::end;
  Status problem;  // why the batch at valid_end is bad (ok unless stop == bad_batch)
};

// Walks the batches of a segment file from `start` to `end`, calling
// `on_batch(header, position)` for each good one, and stops at the first that
// fails the recovery rule of docs/formats/partition-log.md#recovery: total
// size >= 61 bytes and inside [start, end), magic 2, base offset >= the
// previous batch's next offset (and >= `min_base`), CRC in full mode. An
// all-zero length prefix ends the scan as zero_fill. Reads in chunks of 1 MiB.
// Errors: io_error only (bad data is an outcome, not an error).
Result<ScanOutcome> scan_batches(
    const File& file, std::uint64_t start, std::uint64_t end, Offset min_base, ScanMode mode,
    const std::function<void(const RecordBatchHeader&, std::uint64_t position)>& on_batch);

}  // namespace strata::storage
