// PartitionLog: the leader-epoch checkpoint. Loading (or rebuilding) it at
// open and starting new epochs on append; truncation and retention trim it
// in log_retention.cc. Format: docs/formats/partition-log.md#leader-epoch-checkpoint.

#include "storage/batch_scanner.h"
#include "storage/logger.h"
#include "storage/partition_log.h"

namespace strata::storage {

Status PartitionLog::open_epoch_cache() {
  const std::filesystem::path path = dir_ / LeaderEpochCache::kFileName;
  auto loaded = LeaderEpochCache::read_file(path);
  std::vector<EpochEntry> entries;
  bool rebuild = false;
  if (loaded.ok()) {
    entries = std::move(loaded).value();
  } else if (loaded.status().code() == ErrorCode::not_found) {
    // A log written before the checkpoint existed: its batches still say.
    rebuild = log_end_offset() > log_start_offset();
  } else if (loaded.status().code() == ErrorCode::corruption) {
    logger()->warn("{}: leader-epoch checkpoint is damaged, rebuilding it from the batches: {}",
                   name_, loaded.status().to_string());
    rebuild = true;
  } else {
    return loaded.status();
  }
  if (rebuild) {
    STRATA_TRY_ASSIGN(entries, scan_epochs());
    STRATA_TRY(LeaderEpochCache::write_file(path, entries));
    logger()->info("{}: rebuilt leader-epoch checkpoint epochs={}", name_, entries.size());
  }
  epochs_ = std::make_unique<LeaderEpochCache>(path, std::move(entries));
  // A crash between a truncation (or retention) and the checkpoint write
  // leaves entries the log no longer holds.
  STRATA_TRY(epochs_->truncate_from_end(log_end_offset()));
  return epochs_->truncate_from_start(log_start_offset());
}

Result<std::vector<EpochEntry>> PartitionLog::scan_epochs() const {
  std::vector<EpochEntry> entries;
  const std::shared_ptr<const SegmentList> list = snapshot();
  const Offset start = log_start_offset();
  for (const std::shared_ptr<Segment>& segment : *list) {
    if (segment->size() == 0 || segment->next_offset() <= start) continue;
    STRATA_TRY_ASSIGN(File file, File::open(segment->log_path(), File::Mode::read_write));
    // Reads only the readable part: a damaged segment stops at its damage.
    STRATA_TRY_ASSIGN(ScanOutcome outcome,
                      scan_batches(file, 0, segment->size(), segment->base_offset(),
                                   ScanMode::headers,
                                   [&](const RecordBatchHeader& h, std::uint64_t) {
                                     const LeaderEpoch epoch(h.partition_leader_epoch);
                                     if (epoch.value() < 0) return;
                                     if (!entries.empty() && epoch <= entries.back().epoch) return;
                                     entries.push_back({epoch, std::max(h.base_offset, start)});
                                   }));
    (void)outcome;
  }
  return entries;
}

Status PartitionLog::assign_epochs(std::span<const RecordBatchHeader> headers) {
  std::optional<LeaderEpoch> latest = latest_leader_epoch();
  for (const RecordBatchHeader& h : headers) {
    const LeaderEpoch epoch(h.partition_leader_epoch);
    if (epoch.value() < 0 || (latest && epoch <= *latest)) continue;
    STRATA_TRY(epochs_->assign(epoch, h.base_offset));
    logger()->info("{}: leader epoch {} starts at offset {}", name_, epoch.value(),
                   h.base_offset.value());
    latest = epoch;
  }
  return Status::ok_status();
}

std::optional<LeaderEpoch> PartitionLog::latest_leader_epoch() const {
  std::optional<EpochEntry> latest = epochs_->latest();
  if (!latest) return std::nullopt;
  return latest->epoch;
}

}  // namespace strata::storage
