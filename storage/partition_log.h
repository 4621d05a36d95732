#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/result.h"
#include "common/status.h"
#include "storage/leader_epoch_cache.h"
#include "storage/log_options.h"
#include "storage/segment.h"

namespace strata::storage {

class Flusher;

// Where an appended batch landed.
struct AppendResult {
  Offset base_offset;
  Offset last_offset;
  std::int64_t log_append_time_ms = -1;  // LogOptions::clock at the append
  Offset segment_base;                   // the segment it went to
  std::uint64_t position = 0;            // its byte position in that segment's .log
};

// One segment as tools and metrics see it.
struct SegmentInfo {
  Offset base_offset;
  Offset next_offset;  // one past its last offset
  std::uint64_t size_bytes = 0;
  std::size_t index_entries = 0;
  std::size_t time_index_entries = 0;
  std::int64_t max_timestamp = -1;
  bool active = false;
  std::optional<Offset> damaged_from;  // reads at or above fail with corruption
  std::filesystem::path log_path;
};

// Completion of a durable append: ok once the bytes are fdatasynced, or the
// error that stopped appends (no_space, io_error) or closed it (shutting_down).
using FlushCallback = std::function<void(Status)>;

// Whether a log takes appends. health() says why it does not.
//
//   writable --(write or roll fails with ENOSPC)--> out_of_space
//   out_of_space --(resume_writes(): room again, tail checked)--> writable
//   any --(failed fdatasync, other I/O error, damaged active segment,
//          a tail that does not check out)--> read_only   (until reopened)
enum class WriteState : std::uint8_t {
  writable,
  out_of_space,  // a write ran out of space; resume_writes() lifts it
  read_only,     // its files cannot be trusted (fsync failure, EIO, damage)
};

// "writable", "out_of_space" or "read_only", as logs, the CLI and /metrics show it.
std::string_view to_string(WriteState state);

// The log of one partition: a directory of segments
// (docs/formats/partition-log.md). Created by PartitionLog::open (or
// LogManager), owned by one replica.
//
// Threads: ONE WRITER at a time calls append*, roll, truncate_to,
// apply_retention, advance_log_start and close (the partition's owner strand). Readers (read,
// offset_for_timestamp, the accessors, segments) may run on any thread at
// any time: they see an immutable segment-list snapshot and the active
// segment only up to its published end. when_flushed and sync may run on any
// thread.
//
// Durability: append() returns once the bytes are written (in the page
// cache). With LogOptions::durable, completion is reported through
// when_flushed / the append callback after a Flusher (or an inline sync when
// the log has no Flusher) fdatasynced them. A failed fdatasync or write is
// never retried: every waiter gets the error, and so does every later append
// while the log is not writable (see WriteState). A write that failed for
// lack of space leaves the log out_of_space: resume_writes() cuts it back to
// acked_end() and makes it writable again. Anything else (a failed fdatasync
// above all: the page cache may have dropped the dirty pages) leaves it
// read_only until it is reopened.
class PartitionLog {
 public:
  static constexpr Offset kNoUpperBound = Offset(std::numeric_limits<std::int64_t>::max());

  // Opens the log in `dir` (creating the directory when missing), recovering
  // it when the last stop was not clean (docs/formats/partition-log.md#recovery).
  // `flusher` (may be null; must outlive the log) runs the group commits;
  // without one, durable completions sync inline on the calling thread.
  // Errors: invalid_argument (bad options), io_error; damage below the
  // recovery point does not fail the open (see damaged_from()).
  static Result<std::unique_ptr<PartitionLog>> open(const std::filesystem::path& dir,
                                                    LogOptions options,
                                                    Flusher* flusher = nullptr);
  // Closes the log if close() was not called (errors are logged).
  ~PartitionLog();
  PartitionLog(const PartitionLog&) = delete;
  PartitionLog& operator=(const PartitionLog&) = delete;

  // --- writer ---

  // Validates `batch` (one whole RecordBatch v2, nothing after it), assigns it
  // the next offsets by rewriting its base offset in place, and writes it.
  // A batch whose partition leader epoch is above the latest known one
  // starts that epoch in the leader-epoch checkpoint (written durably before
  // the batch; every append* does this).
  // Errors: too_large (> max_batch_bytes), corruption (invalid batch; nothing
  // written), no_space (the log is now out_of_space), io_error (the log is
  // now read_only; or the checkpoint write failed and nothing was written),
  // shutting_down (closed).
  Result<AppendResult> append(std::span<std::byte> batch);
  // Like append(batch); `on_durable` runs once the batch is durable (at once
  // when !durable), on the Flusher's thread or inline. Not called when the
  // append itself fails. It must not close or destroy this log.
  Result<AppendResult> append(std::span<std::byte> batch, FlushCallback on_durable);
  // Validates all, then writes all with one pwritev. All or nothing on validation.
  Result<std::vector<AppendResult>> append_batches(std::span<const std::span<std::byte>> batches);
  // For replication followers: keeps the batches' base offsets. Requires each
  // base offset >= log_end_offset() and rising; invalid_argument otherwise.
  Result<std::vector<AppendResult>> append_with_offsets(
      std::span<const std::span<std::byte>> batches);
  // Seals the active segment and starts a new one at log_end_offset() (no-op
  // when the active segment is empty).
  Status roll();
  // Removes every batch holding an offset >= `offset` (a batch straddling it
  // goes whole; log_end_offset() becomes its base). Requires
  // offset >= log_start_offset() (else out_of_range). Waiters beyond the new
  // end complete with out_of_range. Leader epochs starting at or after the
  // new end leave the checkpoint.
  Status truncate_to(Offset offset);
  // Deletes whole closed segments (never the active one) beyond
  // retention_bytes or older than retention_ms (by their largest batch max
  // timestamp), oldest first, and advances the persisted log start offset
  // (leader epochs wholly below it leave the checkpoint).
  // Returns the number of segments deleted.
  Result<std::size_t> apply_retention();
  // Kafka's DeleteRecords: moves the log start offset up to `new_start`
  // (persisted before it is published; reads below it fail out_of_range)
  // and deletes the closed segments wholly below it. A start inside a
  // segment keeps that segment. No-op when new_start <= log_start_offset().
  // Requires new_start <= log_end_offset() (else out_of_range); the caller
  // bounds it by what consumers may see (the high watermark).
  // Errors: out_of_range, io_error, shutting_down.
  Status advance_log_start(Offset new_start);
  // Out of space only: when the data dir has room for a largest batch
  // (max_batch_bytes) again, cuts the log back to acked_end() (the bytes of
  // the failed write and every append that was never acknowledged go: their
  // producers were told they failed, and a retry must not find them twice),
  // checks that the active segment's batches end exactly there, syncs it and
  // makes the log writable. Ok when the log is writable afterwards (also when
  // it already was). Errors: no_space (still full; stays out_of_space),
  // the read_only reason (now or already read_only), shutting_down.
  Status resume_writes();
  // Syncs everything, writes the checkpoints and, last, the clean-shutdown
  // marker. Later appends fail with shutting_down; reads keep working.
  Status close();

  // --- any thread ---

  // Calls `done` once every offset below `end` is durable (see class comment).
  void when_flushed(Offset end, FlushCallback done);
  // Syncs everything appended so far, now, on this thread; completes waiters.
  Status sync();

  // Whole batches starting with the one holding `from`: at least one whole
  // batch even when it exceeds max_bytes, never one holding an offset >=
  // `upper` (pass the high watermark or flushed_end()), never more than one
  // segment. Empty when from == log end or nothing below `upper`. Errors:
  // out_of_range (from below log start or above log end; the message names the
  // range), corruption (a damaged segment), io_error.
  // Bytes: Buffer or std::string (instantiated for both).
  template <ReadBytes Bytes = Buffer>
  Result<Bytes> read(Offset from, std::size_t max_bytes, Offset upper = kNoUpperBound) const;
  // The first record whose timestamp >= `timestamp` (its offset and its own
  // timestamp, as Kafka's ListOffsets answers), or nullopt when none.
  Result<std::optional<TimestampOffset>> offset_for_timestamp(std::int64_t timestamp) const;

  Offset log_start_offset() const { return Offset(log_start_.load(std::memory_order_acquire)); }
  Offset log_end_offset() const { return Offset(log_end_.load(std::memory_order_acquire)); }
  // Exclusive end of the fdatasynced prefix (== log end right after open).
  // With durable == false it moves only on sync(), roll-free closes and opens.
  Offset flushed_end() const { return Offset(flushed_end_.load(std::memory_order_acquire)); }
  // The end below which appends count as acknowledged: flushed_end() when
  // durable, log_end_offset() otherwise. What a follower reports and what a
  // single replica may use as its high watermark.
  Offset acked_end() const { return options_.durable ? flushed_end() : log_end_offset(); }
  // The leader-epoch checkpoint (docs/formats/partition-log.md): every
  // epoch with the first offset written under it, rising; empty for a log
  // that never stored a stamped batch.
  std::vector<EpochEntry> leader_epochs() const { return epochs_->entries(); }
  // The latest epoch in the checkpoint; nullopt when it is empty.
  std::optional<LeaderEpoch> latest_leader_epoch() const;
  // Where `epoch` ends in this log (Kafka's OffsetForLeaderEpoch; see
  // LeaderEpochCache::end_offset_for), the latest epoch ending at the log end.
  EpochEndOffset end_offset_for_epoch(LeaderEpoch epoch) const {
    return epochs_->end_offset_for(epoch, log_end_offset());
  }
  // The epoch `offset` was written under; nullopt when the checkpoint has
  // no entry at or below it.
  std::optional<LeaderEpoch> epoch_for_offset(Offset offset) const {
    return epochs_->epoch_for_offset(offset);
  }
  std::uint64_t size_bytes() const;
  std::vector<SegmentInfo> segments() const;
  // The lowest offset at which a segment was found damaged at open, if any.
  std::optional<Offset> damaged_from() const;
  // Ok, or the error that stopped appends (no_space or the read_only reason).
  Status health() const;
  WriteState write_state() const;
  const std::filesystem::path& dir() const { return dir_; }
  const std::string& name() const { return name_; }
  const LogOptions& options() const { return options_; }

  // File names inside a partition directory.
  static constexpr const char* kCleanShutdownFile = ".clean_shutdown";
  static constexpr const char* kRecoveryPointFile = "recovery-point.checkpoint";
  static constexpr const char* kLogStartFile = "log-start-offset.checkpoint";

 private:
  friend class Flusher;
  using SegmentList = std::vector<std::shared_ptr<Segment>>;

  using Completions = std::vector<std::pair<FlushCallback, Status>>;
  struct FlushWork {
    Offset target;
    SegmentList segments;
    std::uint64_t truncations = 0;
  };

  PartitionLog(std::filesystem::path dir, LogOptions options, Flusher* flusher);

  // log_recovery.cc
  Status recover_on_open();
  Status open_segments(const std::vector<Offset>& bases, bool clean,
                       std::optional<Offset> recovery_point, SegmentList& out);

  // log_epochs.cc
  // Loads the leader-epoch checkpoint (rebuilding it from the batches when
  // it is damaged, or missing on a non-empty log) and fits it to the log's
  // start and end.
  Status open_epoch_cache();
  // The epochs of every batch in the log, read from their headers.
  Result<std::vector<EpochEntry>> scan_epochs() const;
  // Writer: starts the epochs of `headers` that are above the latest one.
  Status assign_epochs(std::span<const RecordBatchHeader> headers);

  // partition_log.cc
  Result<std::vector<AppendResult>> write_batches(std::span<const std::span<std::byte>> batches,
                                                  bool assign_offsets);
  bool should_roll(std::uint64_t incoming_bytes, Offset next) const;
  Status roll_to(Offset base);
  std::shared_ptr<const SegmentList> snapshot() const;
  void publish(SegmentList list);
  // Stops appends with `status` and fails every waiter. `may_resume`: a write
  // that ran out of space (out_of_space); otherwise read_only, which also
  // replaces an out_of_space state.
  void fail(Status status, bool may_resume = false);
  // Removes whatever files a failed roll to `base` left behind.
  void discard_segment_files(Offset base);

  // log_resume.cc
  // Out of space only: the work of resume_writes() after its space check.
  Status cut_to_acked_end();
  // Requires round_mu_. Cuts the active segment to its published end and
  // checks that its batches end at `expected_end`.
  Status check_tail(Offset expected_end);

  // log_flush.cc
  Status flush_round();
  FlushWork begin_flush();
  // Requires round_mu_. Returns the completions to run once it is released.
  Completions finish_flush(const FlushWork& work, const Status& status);
  void mark_dirty(const std::shared_ptr<Segment>& segment, Offset pending_end);
  void advance_recovery_point();
  Status write_clean_marker();

  const std::filesystem::path dir_;
  const std::string name_;
  const LogOptions options_;
  Flusher* const flusher_;
  std::unique_ptr<LeaderEpochCache> epochs_;  // set at open; mutated by the writer

  std::atomic<std::int64_t> log_start_{0};
  std::atomic<std::int64_t> log_end_{0};
  std::atomic<std::int64_t> flushed_end_{0};

  mutable std::mutex segments_mu_;
  std::shared_ptr<const SegmentList> segments_;  // guarded by segments_mu_

  // Writer only.
  std::shared_ptr<Segment> active_;  // also segments_->back()
  bool closed_ = false;

  mutable std::mutex flush_mu_;
  SegmentList dirty_;                                // guarded by flush_mu_
  Offset pending_end_;                               // guarded by flush_mu_
  std::multimap<Offset, FlushCallback> waiters_;     // guarded by flush_mu_
  Status failed_;                                    // guarded by flush_mu_
  bool out_of_space_ = false;  // failed_ may be resumed; guarded by flush_mu_
  std::uint64_t truncations_ = 0;                    // guarded by flush_mu_
  bool closing_ = false;                             // guarded by flush_mu_

  // Serializes flush rounds (Flusher, sync(), truncate_to, close). Held
  // across fdatasync by design; never taken by readers or by append.
  std::mutex round_mu_;
  Offset recovery_point_;  // guarded by round_mu_
};

}  // namespace strata::storage
