#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "common/status.h"

namespace strata::storage {

// One leader epoch and the first offset written under it.
struct EpochEntry {
  LeaderEpoch epoch;
  Offset start_offset;
  bool operator==(const EpochEntry&) const = default;
};

// Where a leader epoch ends, as Kafka's OffsetForLeaderEpoch answers: the
// largest known epoch <= the one asked for, and the start offset of the next
// epoch (the log end for the latest). Both are kUndefined* when unknown.
struct EpochEndOffset {
  static constexpr LeaderEpoch kUndefinedEpoch{-1};
  static constexpr Offset kUndefinedOffset{-1};
  LeaderEpoch epoch = kUndefinedEpoch;
  Offset end_offset = kUndefinedOffset;
  bool operator==(const EpochEndOffset&) const = default;
};

// The leader-epoch checkpoint of one partition log: epoch -> start offset,
// epochs and start offsets rising, kept in memory and in one file
// (docs/formats/partition-log.md#leader-epoch-checkpoint) that is replaced
// durably on every change. Owned by PartitionLog.
//
// Threads: the mutators (assign, truncate_*, replace) run on the log's one
// writer; the readers (entries, latest, end_offset_for) on any thread. File
// I/O happens outside the mutex.
class LeaderEpochCache {
 public:
  // The file inside a partition directory.
  static constexpr const char* kFileName = "leader-epoch.checkpoint";

  // Reads the file at `path`. Errors: not_found when it is missing,
  // corruption when it is not a valid checkpoint (size, magic, version, CRC,
  // entries not rising), io_error.
  static Result<std::vector<EpochEntry>> read_file(const std::filesystem::path& path);
  // Durably replaces the file at `path` with `entries`.
  static Status write_file(const std::filesystem::path& path, const std::vector<EpochEntry>& entries);

  // A cache over `path` holding `entries` (as read or rebuilt; not written).
  LeaderEpochCache(std::filesystem::path path, std::vector<EpochEntry> entries);
  LeaderEpochCache(const LeaderEpochCache&) = delete;
  LeaderEpochCache& operator=(const LeaderEpochCache&) = delete;

  // Records that `epoch` starts at `start_offset`, when `epoch` is above the
  // latest one (a lower or equal epoch changes nothing: the batch belongs to
  // an epoch already known). Entries starting at or after `start_offset`
  // (epochs that never got a batch) are dropped first. Requires
  // start_offset >= the latest entry's (else invalid_argument).
  // Errors: io_error from the file write (the cache is then unchanged).
  Status assign(LeaderEpoch epoch, Offset start_offset);
  // Drops every entry starting at or after `end` (a log truncated to `end`).
  Status truncate_from_end(Offset end);
  // Drops the entries wholly below `log_start` and moves the start of the one
  // holding it up to `log_start` (retention advanced the log start).
  Status truncate_from_start(Offset log_start);
  // Replaces everything (a rebuild) and writes the file.
  Status replace(std::vector<EpochEntry> entries);

  std::vector<EpochEntry> entries() const;
  // The latest entry; nullopt when the cache is empty.
  std::optional<EpochEntry> latest() const;
  // Kafka's LeaderEpochFileCache.endOffsetFor: undefined when `requested` is
  // undefined (< 0), the cache empty or `requested` above the latest epoch;
  // (`requested`, `log_end`) for the latest epoch; else the largest epoch <=
  // `requested` (or `requested` itself when below every entry) with the
  // start offset of the first entry above it.
  EpochEndOffset end_offset_for(LeaderEpoch requested, Offset log_end) const;
  // The epoch `offset` was written under (Kafka's epochForOffset): the
  // latest entry starting at or below it; nullopt when none does.
  std::optional<LeaderEpoch> epoch_for_offset(Offset offset) const;

 private:
  // Writes `next` and, once it is durable, makes it the cache.
  Status store(std::vector<EpochEntry> next);

  const std::filesystem::path path_;
  mutable std::mutex mu_;
  std::vector<EpochEntry> entries_;  // guarded by mu_
};

}  // namespace strata::storage
