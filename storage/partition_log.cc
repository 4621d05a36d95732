#include "storage/partition_log.h"

#include <algorithm>

#include "common/record_batch.h"
#include "storage/checkpoint_file.h"
#include "storage/flusher.h"
#include "storage/logger.h"

namespace strata::storage {

PartitionLog::PartitionLog(std::filesystem::path dir, LogOptions options, Flusher* flusher)
    : dir_(std::move(dir)),
      name_(dir_.filename().string()),
      options_(std::move(options)),
      flusher_(flusher),
      segments_(std::make_shared<const SegmentList>()) {}

Result<std::unique_ptr<PartitionLog>> PartitionLog::open(const std::filesystem::path& dir,
                                                         LogOptions options, Flusher* flusher) {
  // Index positions are 32-bit; one append may overshoot segment_bytes by a
  // batch list, so keep well below 4 GiB (Kafka's limit is 2 GiB too).
  if (options.segment_bytes == 0 || options.segment_bytes > std::numeric_limits<std::int32_t>::max()) {
    return invalid_argument_error("segment_bytes must be in [1, 2 GiB)");
  }
  if (options.index_interval_bytes == 0) {
    return invalid_argument_error("index_interval_bytes must be positive");
  }
  if (!options.clock) options.clock = system_clock_ms;
  std::unique_ptr<PartitionLog> log(new PartitionLog(dir, std::move(options), flusher));
  STRATA_TRY(log->recover_on_open());
  return log;
}

PartitionLog::~PartitionLog() {
  Status st = close();
  if (!st.ok()) logger()->error("{}: close failed: {}", name_, st.to_string());
}

Result<AppendResult> PartitionLog::append(std::span<std::byte> batch) {
  std::span<std::byte> one[1] = {batch};
  STRATA_TRY_ASSIGN(std::vector<AppendResult> results, write_batches(one, true));
  return results.front();
}

Result<AppendResult> PartitionLog::append(std::span<std::byte> batch, FlushCallback on_durable) {
  STRATA_TRY_ASSIGN(AppendResult result, append(batch));
  when_flushed(result.last_offset + 1, std::move(on_durable));
  return result;
}

Result<std::vector<AppendResult>> PartitionLog::append_batches(
    std::span<const std::span<std::byte>> batches) {
  return write_batches(batches, true);
}

Result<std::vector<AppendResult>> PartitionLog::append_with_offsets(
    std::span<const std::span<std::byte>> batches) {
  return write_batches(batches, false);
}

Result<std::vector<AppendResult>> PartitionLog::write_batches(
    std::span<const std::span<std::byte>> batches, bool assign_offsets) {
  if (closed_) return Status(ErrorCode::shutting_down, name_ + ": log is closed");
  if (Status refused = health(); !refused.ok()) {
    // The batch is fine, the log is not: damage found at open refuses
    // appends as a storage error, not as a corrupt batch.
    if (refused.code() == ErrorCode::corruption) return io_error(refused.message());
    return refused;
  }
  if (batches.empty()) return invalid_argument_error(name_ + ": no batches to append");
  std::vector<RecordBatchHeader> headers;
  std::vector<ByteSpan> parts;
  headers.reserve(batches.size());
  parts.reserve(batches.size());
  std::uint64_t total = 0;
  Offset next = log_end_offset();
  for (std::span<std::byte> b : batches) {
    if (b.size() > options_.max_batch_bytes) {
      return too_large_error(name_ + ": batch of " + std::to_string(b.size()) +
                             " bytes exceeds max_batch_bytes " +
                             std::to_string(options_.max_batch_bytes));
    }
    auto view = RecordBatchView::validate(b);
    if (!view.ok()) return view.status().with_context(name_ + ": invalid batch");
    RecordBatchHeader h = view->header();
    if (h.size_bytes() != b.size()) {
      return invalid_argument_error(name_ + ": " + std::to_string(b.size() - h.size_bytes()) +
                                    " bytes after the batch");
    }
    if (assign_offsets) {
      set_base_offset(b, next);
      h.base_offset = next;
    } else if (h.base_offset < next) {
      return invalid_argument_error(name_ + ": batch offset " +
                                    std::to_string(h.base_offset.value()) +
                                    " is below the log end " + std::to_string(next.value()));
    }
    next = h.next_offset();
    total += b.size();
    headers.push_back(h);
    parts.push_back(ByteSpan(b.data(), b.size()));
  }
  if (should_roll(total, next)) {
    Status st = roll_to(assign_offsets ? log_end_offset() : headers.front().base_offset);
    if (!st.ok()) {
      fail(st, st.code() == ErrorCode::no_space);
      return st;
    }
  }
  // Before the batches: a crash between the two leaves an epoch without
  // batches, which the next open (or append) trims; never a batch whose
  // epoch the checkpoint does not know.
  STRATA_TRY(assign_epochs(headers));
  const std::int64_t now = options_.clock();
  std::vector<AppendResult> results;
  results.reserve(headers.size());
  std::uint64_t pos = active_->size();
  for (const RecordBatchHeader& h : headers) {
    results.push_back({h.base_offset, h.last_offset(), now, active_->base_offset(), pos});
    pos += h.size_bytes();
  }
  // A failed write may leave a torn batch past the published end; nothing
  // reads it, and resume_writes() cuts it off.
  Status st = active_->append(parts, headers, now);
  if (!st.ok()) {
    fail(st, st.code() == ErrorCode::no_space);
    return st;
  }
  mark_dirty(active_, next);
  log_end_.store(next.value(), std::memory_order_release);
  return results;
}

bool PartitionLog::should_roll(std::uint64_t incoming_bytes, Offset next) const {
  if (active_->size() == 0) return false;
  if (active_->size() + incoming_bytes > options_.segment_bytes) return true;
  // Relative offsets in the index are 32-bit.
  if (next - active_->base_offset() > std::numeric_limits<std::int32_t>::max()) return true;
  return active_->first_append_ms() >= 0 &&
         options_.clock() - active_->first_append_ms() >= options_.segment_ms;
}

Status PartitionLog::roll() {
  if (closed_) return Status(ErrorCode::shutting_down, name_ + ": log is closed");
  STRATA_TRY(health());
  if (active_->size() == 0) return Status::ok_status();
  return roll_to(log_end_offset());
}

Status PartitionLog::roll_to(Offset base) {
  std::shared_ptr<Segment> old = active_;
  auto created = Segment::create(dir_, base, options_.index_interval_bytes);
  if (!created.ok()) {
    // A half-created segment (say its .log made, its .index not: ENOSPC)
    // would make the next roll to this base fail with already_exists.
    discard_segment_files(base);
    return created.status();
  }
  std::shared_ptr<Segment> fresh = std::move(created).value();
  // The new file's directory entry must survive a crash like its bytes will.
  Status synced = sync_directory(dir_);
  if (!synced.ok()) {
    fresh.reset();
    discard_segment_files(base);
    return synced;
  }
  old->seal();
  mark_dirty(old, log_end_offset());  // its index files get synced by the next round
  SegmentList list = *snapshot();
  list.push_back(fresh);
  publish(std::move(list));
  active_ = std::move(fresh);
  logger()->info("{}: rolled segment base_offset={} previous_base_offset={} previous_size_bytes={}",
                 name_, base.value(), old->base_offset().value(), old->size());
  return Status::ok_status();
}

std::shared_ptr<const PartitionLog::SegmentList> PartitionLog::snapshot() const {
  std::lock_guard lock(segments_mu_);
  return segments_;
}

void PartitionLog::publish(SegmentList list) {
  auto fresh = std::make_shared<const SegmentList>(std::move(list));
  std::lock_guard lock(segments_mu_);
  segments_ = std::move(fresh);
}

void PartitionLog::discard_segment_files(Offset base) {
  for (const char* ext : {".index", ".timeindex", ".log"}) {
    Status st = remove_file(dir_ / (Segment::file_stem(base) + ext));
    if (!st.ok()) logger()->warn("{}: {}", name_, st.to_string());
  }
}

void PartitionLog::fail(Status status, bool may_resume) {
  std::multimap<Offset, FlushCallback> waiters;
  {
    std::lock_guard lock(flush_mu_);
    // The first failure stands, except that read_only overrides out_of_space.
    if (!failed_.ok() && (!out_of_space_ || may_resume)) return;
    failed_ = status;
    out_of_space_ = may_resume;
    waiters.swap(waiters_);
  }
  if (may_resume) {
    logger()->error("{}: out of space, appends refused until the data dir has room: {}", name_,
                    status.to_string());
  } else {
    logger()->error("{}: log is read-only after a failed write or sync: {}", name_,
                    status.to_string());
  }
  for (auto& [end, done] : waiters) done(status);
}

Status PartitionLog::health() const {
  std::lock_guard lock(flush_mu_);
  return failed_;
}

WriteState PartitionLog::write_state() const {
  std::lock_guard lock(flush_mu_);
  if (failed_.ok()) return WriteState::writable;
  return out_of_space_ ? WriteState::out_of_space : WriteState::read_only;
}

std::string_view to_string(WriteState state) {
  switch (state) {
    case WriteState::writable: return "writable";
    case WriteState::out_of_space: return "out_of_space";
    case WriteState::read_only: return "read_only";
  }
  return "unknown";
}

template <ReadBytes Bytes>
Result<Bytes> PartitionLog::read(Offset from, std::size_t max_bytes, Offset upper) const {
  // Order matters: the end first, then the list (a roll publishes the list
  // before the end moves into it), then the start (retention advances the
  // start before it drops segments from the list).
  const Offset end = log_end_offset();
  const std::shared_ptr<const SegmentList> list = snapshot();
  const Offset start = log_start_offset();
  if (from < start || from > end) {
    return out_of_range_error(name_ + ": offset " + std::to_string(from.value()) +
                              " is outside the log [" + std::to_string(start.value()) + ", " +
                              std::to_string(end.value()) + "]");
  }
  if (from == end || from >= upper) return Bytes();
  auto it = std::upper_bound(list->begin(), list->end(), from,
                             [](Offset o, const std::shared_ptr<Segment>& s) {
                               return o < s->base_offset();
                             });
  if (it == list->begin()) {
    return out_of_range_error(name_ + ": offset " + std::to_string(from.value()) +
                              " is below the first segment");
  }
  // A segment may end below the next one's base (gaps after compaction or
  // follower appends): move on when `from` is past its data.
  for (--it; it != list->end(); ++it) {
    STRATA_TRY_ASSIGN(Bytes out, (*it)->template read<Bytes>(from, max_bytes, std::min(upper, end)));
    if (!out.empty() || (*it)->next_offset() > from) return out;
  }
  return Bytes();
}

template Result<Buffer> PartitionLog::read<Buffer>(Offset, std::size_t, Offset) const;
template Result<std::string> PartitionLog::read<std::string>(Offset, std::size_t, Offset) const;

Result<std::optional<TimestampOffset>> PartitionLog::offset_for_timestamp(
    std::int64_t timestamp) const {
  const std::shared_ptr<const SegmentList> list = snapshot();
  const Offset start = log_start_offset();
  for (const std::shared_ptr<Segment>& segment : *list) {
    if (segment->next_offset() <= start) continue;
    STRATA_TRY_ASSIGN(std::optional<TimestampOffset> found, segment->find_timestamp(timestamp));
    if (found) {
      if (found->offset < start) found->offset = start;
      return found;
    }
  }
  return std::optional<TimestampOffset>();
}

std::uint64_t PartitionLog::size_bytes() const {
  std::uint64_t total = 0;
  const std::shared_ptr<const SegmentList> list = snapshot();  // keep alive while iterating
  for (const auto& segment : *list) total += segment->size();
  return total;
}

std::vector<SegmentInfo> PartitionLog::segments() const {
  std::shared_ptr<const SegmentList> list = snapshot();
  std::vector<SegmentInfo> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Segment& s = *(*list)[i];
    out.push_back({s.base_offset(), s.next_offset(), s.size(), s.index_entries(),
                   s.time_index_entries(), s.max_timestamp(), i + 1 == list->size(),
                   s.damaged_from(), s.log_path()});
  }
  return out;
}

std::optional<Offset> PartitionLog::damaged_from() const {
  const std::shared_ptr<const SegmentList> list = snapshot();  // keep alive while iterating
  for (const auto& segment : *list) {
    if (segment->damaged_from()) return segment->damaged_from();
  }
  return std::nullopt;
}

Status PartitionLog::close() {
  if (closed_) return Status::ok_status();
  if (write_state() == WriteState::out_of_space) {
    // Appends that failed must not come back after a restart either; the
    // cut frees space, so it needs none.
    Status cut = cut_to_acked_end();
    if (!cut.ok()) {
      logger()->warn("{}: could not cut back to the acked end: {}", name_, cut.to_string());
    }
  }
  closed_ = true;
  {
    // From here on when_flushed() answers shutting_down for anything not yet
    // flushed, so nobody schedules this log on the Flusher again.
    std::lock_guard lock(flush_mu_);
    closing_ = true;
  }
  if (flusher_ != nullptr) flusher_->detach(this);
  Status health_now = health();
  if (health_now.ok()) {
    active_->seal();  // so this round also syncs its index files
    mark_dirty(active_, log_end_offset());
  }
  Status st = flush_round();
  std::multimap<Offset, FlushCallback> left;
  {
    std::lock_guard lock(flush_mu_);
    left.swap(waiters_);
  }
  for (auto& [end, done] : left) done(Status(ErrorCode::shutting_down, name_ + ": log closed"));
  if (!st.ok()) return st;
  STRATA_TRY(health());
  if (damaged_from()) return Status::ok_status();  // the next open must look again
  {
    std::lock_guard round(round_mu_);
    STRATA_TRY(CheckpointFile::write(dir_ / kRecoveryPointFile, log_end_offset().value()));
    recovery_point_ = log_end_offset();
  }
  STRATA_TRY(CheckpointFile::write(dir_ / kLogStartFile, log_start_offset().value()));
  STRATA_TRY(write_clean_marker());
  logger()->info("{}: closed log_start={} log_end={}", name_, log_start_offset().value(),
                 log_end_offset().value());
  return Status::ok_status();
}

}  // namespace strata::storage
