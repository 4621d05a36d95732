// PartitionLog: opening a partition directory and recovering it after an
// unclean stop. The rule is docs/formats/partition-log.md#recovery.

#include <algorithm>
#include <chrono>
#include <system_error>

#include "storage/checkpoint_file.h"
#include "storage/logger.h"
#include "storage/partition_log.h"

namespace strata::storage {

namespace {

bool is_stem(const std::string& s) {
  return s.size() == 20 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The base offsets of the `.log` files in `dir`, rising; removes temp files
// left by an interrupted checkpoint write and index files without a log.
Result<std::vector<Offset>> list_segments(const std::filesystem::path& dir) {
  std::vector<Offset> bases;
  std::vector<std::filesystem::path> strays;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::filesystem::path& p = entry.path();
    std::string stem = p.stem().string();
    std::string ext = p.extension().string();
    if (ext == ".tmp") strays.push_back(p);
    if (!is_stem(stem)) continue;
    if (ext == ".log") {
      bases.emplace_back(std::stoll(stem));
    } else if ((ext == ".index" || ext == ".timeindex") &&
               !std::filesystem::exists(dir / (stem + ".log"))) {
      strays.push_back(p);
    }
  }
  if (ec) return io_error("list " + dir.string() + ": " + ec.message());
  for (const auto& p : strays) STRATA_TRY(remove_file(p));
  std::sort(bases.begin(), bases.end());
  return bases;
}

// A checkpoint's value; garbage counts as missing (a full scan), never fatal.
std::optional<std::int64_t> read_checkpoint(const std::string& log_name,
                                            const std::filesystem::path& path) {
  auto value = CheckpointFile::read(path);
  if (value.ok()) return *value;
  logger()->warn("{}: ignoring unreadable checkpoint {}: {}", log_name, path.filename().string(),
                 value.status().to_string());
  return std::nullopt;
}

}  // namespace

Status PartitionLog::recover_on_open() {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return io_error("create " + dir_.string() + ": " + ec.message());
  STRATA_TRY_ASSIGN(std::vector<Offset> bases, list_segments(dir_));

  std::optional<std::int64_t> start_ckpt = read_checkpoint(name_, dir_ / kLogStartFile);
  std::optional<std::int64_t> rp_ckpt = read_checkpoint(name_, dir_ / kRecoveryPointFile);
  const bool clean = std::filesystem::exists(dir_ / kCleanShutdownFile);
  if (clean) {
    // Removed before anything else changes, so a crash from here on is unclean.
    STRATA_TRY(remove_file(dir_ / kCleanShutdownFile));
    STRATA_TRY(sync_directory(dir_));
  }

  // Segments wholly below the persisted log start are leftovers of a
  // retention pass that crashed between the checkpoint and the unlinks.
  Offset log_start = start_ckpt ? Offset(*start_ckpt) : (bases.empty() ? Offset(0) : bases[0]);
  while (bases.size() > 1 && bases[1] <= log_start) {
    STRATA_TRY(remove_file(dir_ / (Segment::file_stem(bases[0]) + ".index")));
    STRATA_TRY(remove_file(dir_ / (Segment::file_stem(bases[0]) + ".timeindex")));
    STRATA_TRY(remove_file(dir_ / (Segment::file_stem(bases[0]) + ".log")));
    bases.erase(bases.begin());
  }
  if (!bases.empty()) log_start = std::max(log_start, bases[0]);

  SegmentList list;
  std::optional<Offset> rp = rp_ckpt ? std::optional<Offset>(Offset(*rp_ckpt)) : std::nullopt;
  STRATA_TRY(open_segments(bases, clean, rp, list));
  if (list.empty()) {
    STRATA_TRY_ASSIGN(std::shared_ptr<Segment> fresh,
                      Segment::create(dir_, log_start, options_.index_interval_bytes));
    STRATA_TRY(sync_directory(dir_));
    list.push_back(std::move(fresh));
  }
  active_ = list.back();
  const Offset end = std::max(active_->next_offset(), log_start);
  log_start_.store(log_start.value(), std::memory_order_release);
  log_end_.store(end.value(), std::memory_order_release);
  publish(list);

  if (active_->damaged_from()) {
    fail(corruption_error(name_ + ": active segment damaged from offset " +
                          std::to_string(active_->damaged_from()->value())));
  }
  if (!clean) {
    // What survived a process crash may sit only in the page cache: make it
    // durable before calling it flushed.
    for (const auto& segment : list) {
      if (!rp || segment->next_offset() > *rp) STRATA_TRY(segment->sync());
    }
  }
  flushed_end_.store(end.value(), std::memory_order_release);
  pending_end_ = end;
  {
    std::lock_guard round(round_mu_);
    recovery_point_ = rp.value_or(Offset(0));
    if (!clean && !damaged_from()) {
      STRATA_TRY(CheckpointFile::write(dir_ / kRecoveryPointFile, end.value()));
      recovery_point_ = end;
    }
  }
  if (!start_ckpt || Offset(*start_ckpt) != log_start) {
    STRATA_TRY(CheckpointFile::write(dir_ / kLogStartFile, log_start.value()));
  }
  STRATA_TRY(open_epoch_cache());
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  logger()->info("{}: opened log_start={} log_end={} segments={} clean={} took_ms={}", name_,
                 log_start.value(), end.value(), list.size(), clean, took.count());
  return Status::ok_status();
}

Status PartitionLog::open_segments(const std::vector<Offset>& bases, bool clean,
                                   std::optional<Offset> recovery_point, SegmentList& out) {
  for (std::size_t i = 0; i < bases.size(); ++i) {
    STRATA_TRY_ASSIGN(std::shared_ptr<Segment> segment,
                      Segment::open(dir_, bases[i], options_.index_interval_bytes));
    const bool last = i + 1 == bases.size();
    bool rebuilt = false;
    if (clean) {
      Status st = segment->load_trusted(&rebuilt);
      if (rebuilt) logger()->warn("{}: rebuilt index files of segment {}", name_, bases[i].value());
      if (st.ok()) {
        if (!last) segment->seal();
        out.push_back(std::move(segment));
        continue;
      }
      logger()->warn("{}: segment {} failed its checks despite a clean shutdown: {}", name_,
                     bases[i].value(), st.to_string());
    }
    // Below the recovery point everything was fsynced: a bad batch there is
    // damage to report, not a torn write to cut.
    const bool below = recovery_point && !last && bases[i + 1] <= *recovery_point;
    STRATA_TRY_ASSIGN(std::uint64_t file_size, segment->file_size());
    STRATA_TRY_ASSIGN(ScanOutcome outcome,
                      segment->recover(below ? ScanMode::headers : ScanMode::full, &rebuilt));
    if (rebuilt) logger()->warn("{}: rebuilt index files of segment {}", name_, bases[i].value());
    if (outcome.stop == ScanStop::end) {
      if (!last) segment->seal();
      out.push_back(std::move(segment));
      continue;
    }
    if (below || (recovery_point && outcome.next_offset < *recovery_point)) {
      logger()->error("{}: segment {} is damaged below the recovery point at offset {} "
                      "position {}: {}; reads from there fail with corruption",
                      name_, bases[i].value(), outcome.next_offset.value(), outcome.valid_end,
                      outcome.problem.ok() ? "zero fill" : outcome.problem.to_string());
      segment->mark_damaged(outcome.valid_end, outcome.next_offset,
                            outcome.problem.ok() ? "zero fill" : outcome.problem.message());
      if (!last) segment->seal();
      out.push_back(std::move(segment));
      continue;
    }
    STRATA_TRY(segment->cut_at(outcome.valid_end));
    logger()->warn("{}: truncated torn tail of segment {} at position {} offset {} "
                   "bytes_removed={}: {}",
                   name_, bases[i].value(), outcome.valid_end, outcome.next_offset.value(),
                   file_size - outcome.valid_end,
                   outcome.stop == ScanStop::zero_fill ? "zero fill" : outcome.problem.message());
    out.push_back(std::move(segment));
    for (std::size_t j = i + 1; j < bases.size(); ++j) {
      logger()->warn("{}: deleted segment {} after the truncation point", name_, bases[j].value());
      STRATA_TRY(remove_file(dir_ / (Segment::file_stem(bases[j]) + ".index")));
      STRATA_TRY(remove_file(dir_ / (Segment::file_stem(bases[j]) + ".timeindex")));
      STRATA_TRY(remove_file(dir_ / (Segment::file_stem(bases[j]) + ".log")));
    }
    STRATA_TRY(sync_directory(dir_));
    break;
  }
  return Status::ok_status();
}

}  // namespace strata::storage
