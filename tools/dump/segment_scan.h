#pragma once

// Reads one segment file (concatenated RecordBatch v2 batches, see
// docs/formats/) batch by batch, straight from the bytes on disk, and
// reports what it holds and where it is damaged. Never opens the log, so it
// works on directories the broker would refuse to recover.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/record_batch.h"
#include "common/result.h"

namespace strata::dump {

// One piece of damage: the file, the byte position where it starts, and
// what is wrong there.
struct Finding {
  std::filesystem::path file;
  std::uint64_t position = 0;
  std::string message;
};

// What a scan found in one segment file.
struct SegmentReport {
  std::filesystem::path path;
  // From a "%020d.log" file name; nullopt for any other name.
  std::optional<Offset> name_base_offset;
  std::uint64_t size_bytes = 0;
  // The prefix of the file made of complete, well-framed batches.
  std::uint64_t framed_bytes = 0;
  // Complete batches, invalid ones included.
  std::int64_t batch_count = 0;
  // Records in the batches whose CRC checked out.
  std::int64_t record_count = 0;
  // Complete batches that failed validation (CRC or an impossible field).
  std::int64_t invalid_batches = 0;
  // The file ends inside a batch or a batch header.
  bool truncated = false;
  // Over the batches whose CRC checked out.
  std::optional<Offset> first_offset;
  std::optional<Offset> last_offset;
  std::optional<std::int64_t> first_max_timestamp;
  std::optional<std::int64_t> last_max_timestamp;
  std::vector<Finding> findings;

  bool clean() const { return findings.empty(); }
  // The offset after the last good batch, when there is one.
  std::optional<Offset> next_offset() const {
    return last_offset ? std::optional<Offset>(*last_offset + 1) : std::nullopt;
  }
};

// One complete batch met during a scan. `view` is set when the batch passed
// RecordBatchView::validate() and borrows bytes valid only during the call.
struct ScannedBatch {
  std::uint64_t position = 0;
  RecordBatchHeader header;
  const RecordBatchView* view = nullptr;
};

using BatchVisitor = std::function<void(const ScannedBatch&)>;

// The base offset a "%020d.log" file name carries, or nullopt.
std::optional<Offset> base_offset_from_file_name(const std::filesystem::path& path);

// Scans the segment at `path`, calling `visit` (may be empty) for each
// complete batch in file order. `previous_last_offset` is the last offset of
// the segment before this one, which this one's first batch must exceed.
// Damage (bad CRC, impossible header, truncation, offsets that go backwards)
// lands in the report's findings; the scan goes on past a bad CRC but stops
// where the framing is lost.
// Errors: io_error (or not_found) when the file cannot be read.
Result<SegmentReport> scan_segment(const std::filesystem::path& path,
                                   std::optional<Offset> previous_last_offset,
                                   const BatchVisitor& visit);

}  // namespace strata::dump
