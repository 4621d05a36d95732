// PartitionLog: removing data. Retention (whole closed segments from the
// front) and truncation (a suffix, for replication).

#include <algorithm>

#include "storage/checkpoint_file.h"
#include "storage/logger.h"
#include "storage/partition_log.h"

namespace strata::storage {

namespace {

Status remove_segments(const std::vector<std::shared_ptr<Segment>>& victims,
                       const std::filesystem::path& dir) {
  for (const auto& segment : victims) STRATA_TRY(segment->remove_files());
  return victims.empty() ? Status::ok_status() : sync_directory(dir);
}

}  // namespace

Result<std::size_t> PartitionLog::apply_retention() {
  if (closed_) return Status(ErrorCode::shutting_down, name_ + ": log is closed");
  std::shared_ptr<const SegmentList> list = snapshot();
  const std::int64_t now = options_.clock();
  std::uint64_t total = size_bytes();
  std::size_t count = 0;
  // Never the active (last) segment.
  while (count + 1 < list->size()) {
    const Segment& s = *(*list)[count];
    bool by_size = options_.retention_bytes >= 0 &&
                   total - s.size() >= static_cast<std::uint64_t>(options_.retention_bytes);
    bool by_time = options_.retention_ms >= 0 && now - s.max_timestamp() > options_.retention_ms;
    if (!by_size && !by_time) break;
    total -= s.size();
    ++count;
  }
  if (count == 0) return count;
  const Offset new_start = std::max(log_start_offset(), (*list)[count]->base_offset());
  // The checkpoint goes first: a crash before the unlinks leaves segments
  // below the log start, which the next open deletes.
  STRATA_TRY(CheckpointFile::write(dir_ / kLogStartFile, new_start.value()));
  log_start_.store(new_start.value(), std::memory_order_release);
  // After the log start: a crash in between leaves entries below it, which
  // the next open trims.
  STRATA_TRY(epochs_->truncate_from_start(new_start));
  SegmentList victims(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(count));
  publish(SegmentList(list->begin() + static_cast<std::ptrdiff_t>(count), list->end()));
  for (const auto& v : victims) {
    logger()->info("{}: retention deleted segment base_offset={} size_bytes={} max_timestamp={}",
                   name_, v->base_offset().value(), v->size(), v->max_timestamp());
  }
  STRATA_TRY(remove_segments(victims, dir_));
  return count;
}

Status PartitionLog::advance_log_start(Offset new_start) {
  if (closed_) return Status(ErrorCode::shutting_down, name_ + ": log is closed");
  const Offset end = log_end_offset();
  if (new_start > end) {
    return out_of_range_error(name_ + ": cannot move the log start to " +
                              std::to_string(new_start.value()) + ", past the log end " +
                              std::to_string(end.value()));
  }
  if (new_start <= log_start_offset()) return Status::ok_status();
  std::shared_ptr<const SegmentList> list = snapshot();
  // Segments whose data all lies below the new start (never the active one).
  std::size_t count = 0;
  while (count + 1 < list->size() && (*list)[count + 1]->base_offset() <= new_start) ++count;
  // Checkpoint first, as in apply_retention: a crash before the unlinks
  // leaves segments below the start, which the next open deletes.
  STRATA_TRY(CheckpointFile::write(dir_ / kLogStartFile, new_start.value()));
  log_start_.store(new_start.value(), std::memory_order_release);
  SegmentList victims(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(count));
  if (count > 0) {
    publish(SegmentList(list->begin() + static_cast<std::ptrdiff_t>(count), list->end()));
  }
  // Kafka Streams moves it after every commit: info only when files go.
  if (count > 0) {
    logger()->info("{}: log start moved to {} segments_deleted={}", name_, new_start.value(),
                   count);
  } else {
    logger()->debug("{}: log start moved to {}", name_, new_start.value());
  }
  return remove_segments(victims, dir_);
}

Status PartitionLog::truncate_to(Offset offset) {
  if (closed_) return Status(ErrorCode::shutting_down, name_ + ": log is closed");
  const Offset start = log_start_offset();
  if (offset < start) {
    return out_of_range_error(name_ + ": cannot truncate to " + std::to_string(offset.value()) +
                              " below the log start " + std::to_string(start.value()));
  }
  if (offset >= log_end_offset()) return Status::ok_status();

  std::unique_lock round(round_mu_);  // no flush round in flight from here on
  std::shared_ptr<const SegmentList> list = snapshot();
  // Keep segments starting below `offset` (at least the first one).
  std::size_t keep = 1;
  while (keep < list->size() && (*list)[keep]->base_offset() < offset) ++keep;
  std::shared_ptr<Segment> target = (*list)[keep - 1];
  // The recovery point must never lie above data that is about to vanish.
  if (recovery_point_ > target->base_offset()) {
    STRATA_TRY(CheckpointFile::write(dir_ / kRecoveryPointFile, target->base_offset().value()));
    recovery_point_ = target->base_offset();
  }
  {
    std::lock_guard lock(flush_mu_);
    ++truncations_;
  }
  SegmentList victims(list->begin() + static_cast<std::ptrdiff_t>(keep), list->end());
  if (!victims.empty()) {
    publish(SegmentList(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(keep)));
    target->unseal();
    active_ = target;
  }
  Status st = target->truncate_to(offset);
  // Rewriting the index files may run out of space like any write; a failed
  // sync may not be resumed.
  const bool may_resume = st.code() == ErrorCode::no_space;
  if (st.ok()) st = target->sync();
  if (!st.ok()) {
    round.unlock();
    fail(st, may_resume);
    return st;
  }
  const Offset end = std::max(target->next_offset(), start);
  log_end_.store(end.value(), std::memory_order_release);
  std::multimap<Offset, FlushCallback> dropped;
  {
    std::lock_guard lock(flush_mu_);
    pending_end_ = std::min(pending_end_, end);
    flushed_end_.store(std::min(flushed_end_.load(std::memory_order_relaxed), end.value()),
                       std::memory_order_release);
    auto first = waiters_.upper_bound(end);
    dropped.insert(std::make_move_iterator(first), std::make_move_iterator(waiters_.end()));
    waiters_.erase(first, waiters_.end());
  }
  round.unlock();
  // After the log: a crash in between leaves entries past the log end, which
  // the next open trims.
  Status epochs_cut = epochs_->truncate_from_end(end);
  if (!epochs_cut.ok()) {
    logger()->error("{}: could not trim the leader-epoch checkpoint to {}: {}", name_,
                    end.value(), epochs_cut.to_string());
  }
  for (auto& [at, done] : dropped) {
    done(out_of_range_error(name_ + ": truncated to " + std::to_string(end.value()) +
                            " before offset " + std::to_string(at.value()) + " was flushed"));
  }
  logger()->warn("{}: truncated to offset={} log_end={} segments_deleted={}", name_,
                 offset.value(), end.value(), victims.size());
  STRATA_TRY(remove_segments(victims, dir_));
  return epochs_cut;
}

}  // namespace strata::storage
