#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/record_batch.h"
#include "common/result.h"
#include "storage/batch_scanner.h"
#include "storage/file.h"
#include "storage/offset_index.h"
#include "storage/time_index.h"

namespace strata::storage {

// The first record at or after a timestamp: its offset and its own timestamp
// (Kafka's ListOffsets answer), as offset_for_timestamp answers.
struct TimestampOffset {
  std::int64_t timestamp = 0;
  Offset offset;
  bool operator==(const TimestampOffset&) const = default;
};

// One segment: `<base>.log` with its `.index` and `.timeindex`
// (docs/formats/partition-log.md). Owned by PartitionLog through shared_ptr
// so readers holding a segment-list snapshot keep it alive after retention
// deleted its files. One writer (the log's owner) appends, seals, truncates;
// readers on any thread see bytes only up to size(), which the writer
// publishes after the bytes and index entries are written. append() returns
// before the bytes are durable; sync() makes them so.
class Segment {
 public:
  // "00000000000000001200": the file name stem of the segment based at `base`.
  static std::string file_stem(Offset base);

  // Creates the three files of a new, empty segment. Errors: already_exists, io_error.
  static Result<std::shared_ptr<Segment>> create(const std::filesystem::path& dir, Offset base,
                                                 std::uint32_t index_interval_bytes);
  // Opens an existing `.log` (creating missing index files empty). The state
  // is unset until load_trusted() or recover() runs.
  static Result<std::shared_ptr<Segment>> open(const std::filesystem::path& dir, Offset base,
                                               std::uint32_t index_interval_bytes);

  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  // --- opening (writer, before the segment is shared) ---
  // Trusts the log up to its file size: checks the index files, rebuilding
  // both from a headers scan when either is damaged (sets *rebuilt), and
  // walks from the last index entry to find the next offset. Errors:
  // corruption when that walk meets a bad batch; io_error.
  Status load_trusted(bool* rebuilt);
  // Scans the whole file in `mode`, rebuilds both indexes (rewriting a file
  // only when it differs, then *rebuilt is set) and sets the state to the
  // valid prefix. Never cuts: the caller decides with cut_at() or mark_damaged().
  Result<ScanOutcome> recover(ScanMode mode, bool* rebuilt);
  // Truncates the file at `position` (the outcome of recover()).
  Status cut_at(std::uint64_t position);
  // Reads at or past `position` (offsets >= `from`) will fail with corruption.
  void mark_damaged(std::uint64_t position, Offset from, std::string why);

  // --- writer ---
  // Writes `batches` back to back with one pwritev, then index entries, then
  // publishes the new size. Requires: headers[i] describes batches[i], offsets
  // rise from next_offset().
  Status append(std::span<const ByteSpan> batches, std::span<const RecordBatchHeader> headers,
                std::int64_t now_ms);
  // Removes every batch that holds an offset >= `offset` (a batch straddling
  // it goes whole), then rebuilds the indexes.
  Status truncate_to(Offset offset);
  // No more appends; the next sync() also syncs the index files.
  void seal() { sealed_.store(true, std::memory_order_release); }
  // Makes a sealed segment the active one again (after a truncation).
  void unseal() {
    sealed_.store(false, std::memory_order_release);
    index_synced_.store(false, std::memory_order_release);
  }
  Result<std::uint64_t> file_size() const { return log_.size(); }
  bool sealed() const { return sealed_.load(std::memory_order_acquire); }
  // Wall time of the first append since creation or open; -1 before it.
  std::int64_t first_append_ms() const { return first_append_ms_; }
  // Deletes the files. Open readers keep reading the unlinked data.
  Status remove_files();

  // --- flusher or writer (serialized by the owning log) ---
  // fdatasync of the log file; once sealed, of both index files as well (once).
  Status sync();

  // --- any thread ---
  Offset base_offset() const { return base_; }
  std::uint64_t size() const { return size_.load(std::memory_order_acquire); }
  Offset next_offset() const { return Offset(next_offset_.load(std::memory_order_acquire)); }
  // Largest batch max timestamp; -1 when empty.
  std::int64_t max_timestamp() const { return max_timestamp_.load(std::memory_order_acquire); }
  std::size_t index_entries() const { return offset_index_.entry_count(); }
  std::size_t time_index_entries() const { return time_index_.entries().size(); }
  std::optional<Offset> damaged_from() const { return damaged_from_; }
  const std::string& damage() const { return damage_; }
  const std::filesystem::path& log_path() const { return log_.path(); }

  // Whole batches starting with the one that holds `from`, at least one even
  // when it exceeds max_bytes, none holding an offset >= `upper`. Empty when
  // `from` is past this segment's data. Errors: corruption (bad framing or a
  // damaged region), io_error.
  // Bytes: Buffer or std::string (instantiated for both).
  template <ReadBytes Bytes = Buffer>
  Result<Bytes> read(Offset from, std::size_t max_bytes, Offset upper) const;
  // The first record whose timestamp >= `timestamp` (its offset and
  // timestamp; the batch holding it is decompressed if need be), if any.
  Result<std::optional<TimestampOffset>> find_timestamp(std::int64_t timestamp) const;

 private:
  // Decides where index entries go, the same way for appends and rebuilds:
  // an offset entry before a batch once index_interval bytes were written
  // since the last one, and with it a time entry when the running max
  // timestamp rose since the last time entry.
  struct IndexPolicy {
    std::uint64_t bytes_since_entry = 0;
    std::int64_t running_max = -1;
    std::int64_t last_time_entry = -1;
    struct Added {
      std::optional<OffsetIndex::Entry> offset_entry;
      std::optional<TimeIndex::Entry> time_entry;
    };
    Added add(const RecordBatchHeader& h, std::uint64_t position, Offset base,
              std::uint32_t interval);
  };

  struct Located {
    RecordBatchHeader header;
    std::uint64_t position = 0;
  };

  Segment(Offset base, std::uint32_t index_interval, File log, File index, File time_index,
          std::vector<OffsetIndex::Entry> index_entries,
          std::vector<TimeIndex::Entry> time_entries);

  // The batch holding the first offset >= `target` at or after index-chosen
  // position, scanning headers below `end`; nullopt when none.
  Result<std::optional<Located>> locate(Offset target, std::uint64_t end) const;
  Result<RecordBatchHeader> read_header(std::uint64_t position, std::uint64_t end) const;
  Result<TimestampOffset> first_record_at_or_after(std::uint64_t position,
                                                   const RecordBatchHeader& header,
                                                   std::int64_t timestamp, Offset start) const;
  std::uint64_t readable_end() const;

  const Offset base_;
  const std::uint32_t index_interval_;
  File log_;
  OffsetIndex offset_index_;
  TimeIndex time_index_;

  std::atomic<std::uint64_t> size_{0};
  std::atomic<std::int64_t> next_offset_;
  std::atomic<std::int64_t> max_timestamp_{-1};
  std::atomic<bool> sealed_{false};
  std::atomic<bool> index_synced_{false};

  // Writer only.
  IndexPolicy policy_;
  std::int64_t first_append_ms_ = -1;

  // Set while opening, before the segment is shared; immutable afterwards.
  std::optional<Offset> damaged_from_;
  std::uint64_t damaged_position_ = UINT64_MAX;
  std::string damage_;
};

}  // namespace strata::storage
