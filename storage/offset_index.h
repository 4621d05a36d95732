#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "common/result.h"
#include "storage/file.h"

namespace strata::storage {

// The sparse offset index of one segment (`<base>.index`): maps a batch's base
// offset, relative to the segment's base, to the batch's byte position in the
// `.log` file. Layout: docs/formats/partition-log.md#offset-index.
// Owned by Segment. The segment's one writer calls append/reset/sync; lookup
// may run concurrently from any thread. Entries are kept in memory and
// appended to the file as they are added; the file is fdatasynced only when
// its segment is sealed (it can always be rebuilt from the log).
class OffsetIndex {
 public:
  static constexpr std::size_t kEntrySize = 8;
  struct Entry {
    std::uint32_t relative_offset = 0;
    std::uint32_t position = 0;
    bool operator==(const Entry&) const = default;
  };

  // Reads every entry of `file`. Errors: corruption when the size is not a
  // multiple of kEntrySize; io_error.
  static Result<std::vector<Entry>> load(const File& file);
  // Ok when entries rise strictly in both fields and every position is
  // below `log_size`; corruption otherwise.
  static Status check(const std::vector<Entry>& entries, std::uint64_t log_size);

  OffsetIndex(File file, std::vector<Entry> entries);
  OffsetIndex(const OffsetIndex&) = delete;
  OffsetIndex& operator=(const OffsetIndex&) = delete;

  // The entry with the largest relative offset <= `relative_offset`, or {0, 0}.
  Entry lookup(std::uint32_t relative_offset) const;
  std::size_t entry_count() const;
  std::vector<Entry> entries() const;
  std::optional<Entry> last() const;

  // Writer only. Requires: `e` rises above the last entry.
  Status append(Entry e);
  // Writer only: replaces the file's whole content with `entries`.
  Status reset(std::vector<Entry> entries);
  Status sync() { return file_.datasync(); }
  const File& file() const { return file_; }

 private:
  File file_;
  mutable std::mutex mu_;
  std::vector<Entry> entries_;  // guarded by mu_
};

}  // namespace strata::storage
