// PartitionLog: durability. Group commit through the Flusher, the inline
// sync() path, the recovery point checkpoint and the clean-shutdown marker.

#include <algorithm>

#include "storage/checkpoint_file.h"
#include "storage/flusher.h"
#include "storage/logger.h"
#include "storage/partition_log.h"

namespace strata::storage {

void PartitionLog::mark_dirty(const std::shared_ptr<Segment>& segment, Offset pending_end) {
  std::lock_guard lock(flush_mu_);
  if (std::find(dirty_.begin(), dirty_.end(), segment) == dirty_.end()) dirty_.push_back(segment);
  pending_end_ = std::max(pending_end_, pending_end);
}

void PartitionLog::when_flushed(Offset end, FlushCallback done) {
  Status immediate;
  bool ready = false;
  {
    std::lock_guard lock(flush_mu_);
    if (!failed_.ok()) {
      immediate = failed_;
      ready = true;
    } else if (!options_.durable || Offset(flushed_end_.load(std::memory_order_acquire)) >= end) {
      ready = true;
    } else if (closing_) {
      immediate = Status(ErrorCode::shutting_down, name_ + ": log closed");
      ready = true;
    } else {
      waiters_.emplace(end, std::move(done));
    }
  }
  if (ready) {
    done(immediate);
    return;
  }
  if (flusher_ != nullptr && flusher_->schedule(this)) return;
  (void)flush_round();  // no running Flusher: sync inline; the waiter got the outcome
}

Status PartitionLog::sync() { return flush_round(); }

Status PartitionLog::flush_round() {
  Completions ready;
  Status st;
  {
    std::lock_guard round(round_mu_);
    FlushWork work = begin_flush();
    for (const std::shared_ptr<Segment>& segment : work.segments) {
      st = segment->sync();
      if (!st.ok()) break;
    }
    ready = finish_flush(work, st);
    if (st.ok()) advance_recovery_point();
  }
  // Outside round_mu_: a completion may append and sync inline again.
  for (auto& [done, outcome] : ready) done(outcome);
  STRATA_TRY(st);
  return health();
}

PartitionLog::FlushWork PartitionLog::begin_flush() {
  std::lock_guard lock(flush_mu_);
  FlushWork work;
  work.target = pending_end_;
  work.segments.swap(dirty_);
  work.truncations = truncations_;
  return work;
}

PartitionLog::Completions PartitionLog::finish_flush(const FlushWork& work,
                                                    const Status& status) {
  Completions ready;
  bool newly_failed = false;
  {
    std::lock_guard lock(flush_mu_);
    if (!status.ok() && (failed_.ok() || out_of_space_)) {
      // Never retried, and never resumed, even when it says ENOSPC: after a
      // failed fdatasync the page cache may already have dropped the dirty
      // pages (PostgreSQL's 2018 fsync lesson).
      failed_ = status;
      out_of_space_ = false;
      newly_failed = true;
    }
    if (!failed_.ok()) {
      for (auto& [end, done] : waiters_) ready.emplace_back(std::move(done), failed_);
      waiters_.clear();
    } else {
      // A truncation during this round may have removed what it synced.
      if (work.truncations == truncations_) {
        Offset flushed = std::max(Offset(flushed_end_.load(std::memory_order_relaxed)),
                                  std::min(work.target, pending_end_));
        flushed_end_.store(flushed.value(), std::memory_order_release);
      }
      Offset flushed(flushed_end_.load(std::memory_order_relaxed));
      auto stop = waiters_.upper_bound(flushed);
      for (auto it = waiters_.begin(); it != stop; ++it) {
        ready.emplace_back(std::move(it->second), Status());
      }
      // Waiters still beyond the flushed end arrived during this round; their
      // when_flushed() scheduled this log for the Flusher's next cycle.
      waiters_.erase(waiters_.begin(), stop);
    }
  }
  if (newly_failed) {
    logger()->error("{}: fdatasync failed, log is read-only: {}", name_, status.to_string());
  }
  return ready;
}

void PartitionLog::advance_recovery_point() {
  // Requires round_mu_. The recovery point moves by whole segments: the base
  // of the last segment that starts at or below the flushed end.
  Offset flushed = flushed_end();
  Offset candidate = recovery_point_;
  const std::shared_ptr<const SegmentList> list = snapshot();  // keep alive while iterating
  for (const auto& segment : *list) {
    if (segment->base_offset() <= flushed) candidate = std::max(candidate, segment->base_offset());
  }
  if (candidate <= recovery_point_) return;
  Status st = CheckpointFile::write(dir_ / kRecoveryPointFile, candidate.value());
  if (!st.ok()) {
    logger()->warn("{}: could not write the recovery point checkpoint: {}", name_, st.to_string());
    return;
  }
  recovery_point_ = candidate;
}

Status PartitionLog::write_clean_marker() {
  STRATA_TRY_ASSIGN(File marker, File::open(dir_ / kCleanShutdownFile, File::Mode::create_or_open));
  STRATA_TRY(marker.sync());
  STRATA_TRY(marker.close());
  return sync_directory(dir_);
}

}  // namespace strata::storage
