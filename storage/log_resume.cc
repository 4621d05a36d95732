// PartitionLog: becoming writable again after a write ran out of space.

#include <algorithm>

#include "storage/logger.h"
#include "storage/partition_log.h"

namespace strata::storage {

Status PartitionLog::resume_writes() {
  if (closed_) return Status(ErrorCode::shutting_down, name_ + ": log is closed");
  {
    std::lock_guard lock(flush_mu_);
    if (failed_.ok()) return Status::ok_status();
    if (!out_of_space_) return failed_;
  }
  STRATA_TRY_ASSIGN(std::uint64_t available, available_bytes(dir_));
  if (available < options_.max_batch_bytes) {
    return Status(ErrorCode::no_space, name_ + ": " + std::to_string(available) +
                                           " bytes free, waiting for " +
                                           std::to_string(options_.max_batch_bytes));
  }
  return cut_to_acked_end();
}

Status PartitionLog::cut_to_acked_end() {
  // Appends written but never acknowledged go (for durable logs: everything
  // past the fdatasynced end). Their producers were told they failed; a
  // retry must find them neither lost nor twice.
  const Offset acked = acked_end();
  const Offset end_before = log_end_offset();
  if (acked < end_before) STRATA_TRY(truncate_to(acked));  // fails the log itself

  Status st;
  {
    std::lock_guard round(round_mu_);  // no flush round in flight
    st = check_tail(acked);
    if (st.ok()) {
      std::lock_guard lock(flush_mu_);
      if (out_of_space_) {  // nothing made it read_only meanwhile
        failed_ = Status();
        out_of_space_ = false;
        pending_end_ = std::min(pending_end_, log_end_offset());
      } else if (!failed_.ok()) {
        st = failed_;
      }
    }
  }
  if (!st.ok()) {
    if (st.code() != ErrorCode::no_space) fail(st);  // read_only from here on
    return health().ok() ? st : health();
  }
  logger()->warn("{}: writable again after running out of space log_end={} "
                 "unacknowledged_offsets_dropped={}",
                 name_, log_end_offset().value(), (end_before - acked));
  return Status::ok_status();
}

Status PartitionLog::check_tail(Offset expected_end) {
  // The failed write may have left part of a batch (or, when only an index
  // write failed, a whole one) past the published end: nobody acknowledged
  // it, nobody read it.
  const std::uint64_t published = active_->size();
  STRATA_TRY(active_->cut_at(published));
  bool rebuilt = false;
  STRATA_TRY_ASSIGN(ScanOutcome outcome, active_->recover(ScanMode::full, &rebuilt));
  const Offset end = std::max(active_->next_offset(), log_start_offset());
  if (outcome.stop != ScanStop::end || outcome.valid_end != published || end != expected_end ||
      end != log_end_offset()) {
    return corruption_error(
        name_ + ": after running out of space the active segment ends at offset " +
        std::to_string(end.value()) + " position " + std::to_string(outcome.valid_end) +
        ", not at the acknowledged end " + std::to_string(expected_end.value()) + " position " +
        std::to_string(published) +
        (outcome.problem.ok() ? std::string() : ": " + outcome.problem.message()));
  }
  // The truncation must be durable before new bytes land behind it.
  Status synced = active_->sync();
  if (!synced.ok()) return io_error(name_ + ": sync after the cut: " + synced.message());
  return Status::ok_status();
}

}  // namespace strata::storage
