#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "common/result.h"
#include "storage/file.h"

namespace strata::storage {

// The sparse time index of one segment (`<base>.timeindex`). Entry (T, r)
// says: every batch of the segment up to and including the batch starting at
// relative offset r has a max timestamp <= T. Timestamps rise strictly from
// entry to entry. Layout: docs/formats/partition-log.md#time-index.
// Owned by Segment; one writer, concurrent lookups (same rules as OffsetIndex).
class TimeIndex {
 public:
  static constexpr std::size_t kEntrySize = 12;
  struct Entry {
    std::int64_t timestamp = 0;
    std::uint32_t relative_offset = 0;
    bool operator==(const Entry&) const = default;
  };

  static Result<std::vector<Entry>> load(const File& file);
  // Ok when both fields rise strictly and every relative offset is below
  // `relative_end` (the segment's next offset minus its base).
  static Status check(const std::vector<Entry>& entries, std::int64_t relative_end);

  TimeIndex(File file, std::vector<Entry> entries);
  TimeIndex(const TimeIndex&) = delete;
  TimeIndex& operator=(const TimeIndex&) = delete;

  // The last entry whose timestamp is < `timestamp`, if any.
  std::optional<Entry> last_below(std::int64_t timestamp) const;
  std::optional<Entry> last() const;
  std::vector<Entry> entries() const;

  // Writer only. Requires: `e` rises above the last entry in both fields.
  Status append(Entry e);
  Status reset(std::vector<Entry> entries);
  Status sync() { return file_.datasync(); }

 private:
  File file_;
  mutable std::mutex mu_;
  std::vector<Entry> entries_;  // guarded by mu_
};

}  // namespace strata::storage
