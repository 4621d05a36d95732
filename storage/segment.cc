#include "storage/segment.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "common/record_batch_reader.h"
#include "storage/logger.h"

namespace strata::storage {

namespace L = batch_layout;

namespace {

std::filesystem::path with_ext(const std::filesystem::path& dir, Offset base, const char* ext) {
  return dir / (Segment::file_stem(base) + ext);
}

}  // namespace

std::string Segment::file_stem(Offset base) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%020" PRId64, base.value());
  return buf;
}

Segment::IndexPolicy::Added Segment::IndexPolicy::add(const RecordBatchHeader& h,
                                                      std::uint64_t position, Offset base,
                                                      std::uint32_t interval) {
  Added added;
  running_max = std::max(running_max, h.max_timestamp);
  if (bytes_since_entry >= interval) {
    auto rel = static_cast<std::uint32_t>(h.base_offset - base);
    added.offset_entry = OffsetIndex::Entry{rel, static_cast<std::uint32_t>(position)};
    if (running_max > last_time_entry) {
      added.time_entry = TimeIndex::Entry{running_max, rel};
      last_time_entry = running_max;
    }
    bytes_since_entry = 0;
  }
  bytes_since_entry += h.size_bytes();
  return added;
}

Segment::Segment(Offset base, std::uint32_t index_interval, File log, File index,
                 File time_index, std::vector<OffsetIndex::Entry> index_entries,
                 std::vector<TimeIndex::Entry> time_entries)
    : base_(base),
      index_interval_(index_interval),
      log_(std::move(log)),
      offset_index_(std::move(index), std::move(index_entries)),
      time_index_(std::move(time_index), std::move(time_entries)),
      next_offset_(base.value()) {}

Result<std::shared_ptr<Segment>> Segment::create(const std::filesystem::path& dir, Offset base,
                                                 std::uint32_t index_interval_bytes) {
  STRATA_TRY_ASSIGN(File log, File::open(with_ext(dir, base, ".log"), File::Mode::create_new));
  // Index files may be left over from a segment deleted half-way: start them empty.
  STRATA_TRY_ASSIGN(File index,
                    File::open(with_ext(dir, base, ".index"), File::Mode::create_or_open));
  STRATA_TRY(index.truncate(0));
  STRATA_TRY_ASSIGN(File time_index,
                    File::open(with_ext(dir, base, ".timeindex"), File::Mode::create_or_open));
  STRATA_TRY(time_index.truncate(0));
  return std::shared_ptr<Segment>(new Segment(base, index_interval_bytes, std::move(log),
                                              std::move(index), std::move(time_index), {}, {}));
}

Result<std::shared_ptr<Segment>> Segment::open(const std::filesystem::path& dir, Offset base,
                                               std::uint32_t index_interval_bytes) {
  STRATA_TRY_ASSIGN(File log, File::open(with_ext(dir, base, ".log"), File::Mode::read_write));
  STRATA_TRY_ASSIGN(File index,
                    File::open(with_ext(dir, base, ".index"), File::Mode::create_or_open));
  STRATA_TRY_ASSIGN(File time_index,
                    File::open(with_ext(dir, base, ".timeindex"), File::Mode::create_or_open));
  // An index that cannot even be decoded loads as empty-and-inconsistent;
  // load_trusted()/recover() notice and rebuild it.
  auto index_entries = OffsetIndex::load(index);
  auto time_entries = TimeIndex::load(time_index);
  std::vector<OffsetIndex::Entry> oi;
  std::vector<TimeIndex::Entry> ti;
  if (index_entries.ok()) oi = std::move(index_entries).value();
  else oi = {{1, 0}, {0, 0}};  // deliberately fails OffsetIndex::check
  if (time_entries.ok()) ti = std::move(time_entries).value();
  else ti = {{1, 1}, {0, 0}};  // deliberately fails TimeIndex::check
  return std::shared_ptr<Segment>(new Segment(base, index_interval_bytes, std::move(log),
                                              std::move(index), std::move(time_index),
                                              std::move(oi), std::move(ti)));
}

Status Segment::load_trusted(bool* rebuilt) {
  STRATA_TRY_ASSIGN(std::uint64_t file_size, log_.size());
  std::vector<OffsetIndex::Entry> oi = offset_index_.entries();
  if (!OffsetIndex::check(oi, file_size).ok()) {
    STRATA_TRY_ASSIGN(ScanOutcome outcome, recover(ScanMode::headers, rebuilt));
    *rebuilt = true;
    return outcome.stop == ScanStop::end ? Status::ok_status() : outcome.problem;
  }
  OffsetIndex::Entry last = oi.empty() ? OffsetIndex::Entry{} : oi.back();
  std::int64_t walked_max = -1;
  bool first = true;
  bool anchored = true;
  // Walk from the last entry: it must point at a batch starting at its
  // offset, and no later batch may have been due an entry (a torn or
  // missing index file).
  STRATA_TRY_ASSIGN(ScanOutcome outcome,
                    scan_batches(log_, last.position, file_size, base_ + last.relative_offset,
                                 ScanMode::headers,
                                 [&](const RecordBatchHeader& h, std::uint64_t pos) {
                                   if (first && h.base_offset != base_ + last.relative_offset &&
                                       !oi.empty()) {
                                     anchored = false;
                                   }
                                   if (pos - last.position >= index_interval_) anchored = false;
                                   first = false;
                                   walked_max = std::max(walked_max, h.max_timestamp);
                                 }));
  std::vector<TimeIndex::Entry> ti = time_index_.entries();
  if (!anchored || !TimeIndex::check(ti, outcome.next_offset - base_).ok()) {
    STRATA_TRY_ASSIGN(ScanOutcome full, recover(ScanMode::headers, rebuilt));
    *rebuilt = true;
    return full.stop == ScanStop::end ? Status::ok_status() : full.problem;
  }
  if (outcome.stop != ScanStop::end) {
    return outcome.stop == ScanStop::bad_batch
               ? outcome.problem
               : corruption_error(log_.path().string() + ": zero fill at position " +
                                  std::to_string(outcome.valid_end));
  }
  std::int64_t max_ts = std::max(walked_max, ti.empty() ? -1 : ti.back().timestamp);
  policy_.bytes_since_entry = file_size - last.position;
  policy_.running_max = max_ts;
  policy_.last_time_entry = ti.empty() ? -1 : ti.back().timestamp;
  size_.store(file_size, std::memory_order_release);
  next_offset_.store(outcome.next_offset.value(), std::memory_order_release);
  max_timestamp_.store(max_ts, std::memory_order_release);
  return Status::ok_status();
}

Result<ScanOutcome> Segment::recover(ScanMode mode, bool* rebuilt) {
  STRATA_TRY_ASSIGN(std::uint64_t file_size, log_.size());
  IndexPolicy policy;
  std::vector<OffsetIndex::Entry> oi;
  std::vector<TimeIndex::Entry> ti;
  STRATA_TRY_ASSIGN(ScanOutcome outcome,
                    scan_batches(log_, 0, file_size, base_, mode,
                                 [&](const RecordBatchHeader& h, std::uint64_t pos) {
                                   auto added = policy.add(h, pos, base_, index_interval_);
                                   if (added.offset_entry) oi.push_back(*added.offset_entry);
                                   if (added.time_entry) ti.push_back(*added.time_entry);
                                 }));
  if (oi != offset_index_.entries()) {
    STRATA_TRY(offset_index_.reset(std::move(oi)));
    *rebuilt = true;
  }
  if (ti != time_index_.entries()) {
    STRATA_TRY(time_index_.reset(std::move(ti)));
    *rebuilt = true;
  }
  policy_ = policy;
  size_.store(outcome.valid_end, std::memory_order_release);
  next_offset_.store(outcome.next_offset.value(), std::memory_order_release);
  max_timestamp_.store(policy.running_max, std::memory_order_release);
  return outcome;
}

Status Segment::cut_at(std::uint64_t position) {
  STRATA_TRY(log_.truncate(position));
  size_.store(std::min(size(), position), std::memory_order_release);
  return Status::ok_status();
}

void Segment::mark_damaged(std::uint64_t position, Offset from, std::string why) {
  damage_ = std::move(why);
  damaged_position_ = position;
  damaged_from_ = from;
}

Status Segment::append(std::span<const ByteSpan> batches,
                       std::span<const RecordBatchHeader> headers, std::int64_t now_ms) {
  std::uint64_t pos = size();
  STRATA_TRY(log_.writev_at(pos, batches));
  if (first_append_ms_ < 0) first_append_ms_ = now_ms;
  std::int64_t max_ts = max_timestamp();
  for (const RecordBatchHeader& h : headers) {
    auto added = policy_.add(h, pos, base_, index_interval_);
    if (added.offset_entry) STRATA_TRY(offset_index_.append(*added.offset_entry));
    if (added.time_entry) STRATA_TRY(time_index_.append(*added.time_entry));
    pos += h.size_bytes();
    max_ts = std::max(max_ts, h.max_timestamp);
  }
  next_offset_.store(headers.back().next_offset().value(), std::memory_order_release);
  max_timestamp_.store(max_ts, std::memory_order_release);
  size_.store(pos, std::memory_order_release);  // publishes the bytes to readers
  return Status::ok_status();
}

Status Segment::truncate_to(Offset offset) {
  STRATA_TRY_ASSIGN(std::optional<Located> at, locate(offset, size()));
  if (!at) return Status::ok_status();
  STRATA_TRY(cut_at(at->position));
  bool rebuilt = false;
  STRATA_TRY_ASSIGN(ScanOutcome outcome, recover(ScanMode::headers, &rebuilt));
  if (outcome.stop != ScanStop::end) return outcome.problem;
  return Status::ok_status();
}

Status Segment::remove_files() {
  std::filesystem::path dir = log_.path().parent_path();
  STRATA_TRY(remove_file(with_ext(dir, base_, ".index")));
  STRATA_TRY(remove_file(with_ext(dir, base_, ".timeindex")));
  return remove_file(log_.path());
}

Status Segment::sync() {
  STRATA_TRY(log_.datasync());
  if (sealed() && !index_synced_.load(std::memory_order_acquire)) {
    STRATA_TRY(offset_index_.sync());
    STRATA_TRY(time_index_.sync());
    index_synced_.store(true, std::memory_order_release);
  }
  return Status::ok_status();
}

std::uint64_t Segment::readable_end() const { return std::min(size(), damaged_position_); }

Result<RecordBatchHeader> Segment::read_header(std::uint64_t position, std::uint64_t end) const {
  auto where = [&] {
    return log_.path().string() + ": batch at position " + std::to_string(position);
  };
  if (end - position < L::kHeaderSize) return corruption_error(where() + " is truncated");
  std::byte head[L::kHeaderSize];
  STRATA_TRY(log_.read_exact_at(position, head));
  auto h = parse_batch_header(ByteSpan(head, L::kHeaderSize));
  if (!h.ok()) return h.status().with_context(where());
  if (h->size_bytes() > end - position) return corruption_error(where() + " runs past the end");
  return h;
}

Result<std::optional<Segment::Located>> Segment::locate(Offset target, std::uint64_t end) const {
  std::int64_t rel = std::clamp<std::int64_t>(target - base_, 0, UINT32_MAX);
  std::uint64_t pos = offset_index_.lookup(static_cast<std::uint32_t>(rel)).position;
  while (pos < end) {
    STRATA_TRY_ASSIGN(RecordBatchHeader h, read_header(pos, end));
    if (h.next_offset() > target) return std::optional<Located>(Located{h, pos});
    pos += h.size_bytes();
  }
  return std::optional<Located>();
}

template <ReadBytes Bytes>
Result<Bytes> Segment::read(Offset from, std::size_t max_bytes, Offset upper) const {
  if (damaged_from_ && from >= *damaged_from_) {
    return corruption_error(log_.path().string() + ": damaged from offset " +
                            std::to_string(damaged_from_->value()) + ": " + damage_);
  }
  std::uint64_t end = readable_end();
  STRATA_TRY_ASSIGN(std::optional<Located> at, locate(from, end));
  if (!at || at->header.next_offset() > upper) return Bytes();
  std::uint64_t want = std::min<std::uint64_t>(std::max(max_bytes, at->header.size_bytes()),
                                               end - at->position);
  Bytes out;
  out.resize(static_cast<std::size_t>(want));
  STRATA_TRY_ASSIGN(std::size_t got, log_.read_at(at->position, writable_bytes(out)));
  // Keep whole batches below `upper`; a short read (a concurrent truncation)
  // just ends the answer early.
  std::size_t keep = 0;
  while (got - keep >= L::kHeaderSize) {
    auto h = parse_batch_header(bytes_of(out).subspan(keep, L::kHeaderSize));
    if (!h.ok() || h->size_bytes() > got - keep || h->next_offset() > upper) break;
    keep += h->size_bytes();
  }
  out.resize(keep);
  return out;
}

template Result<Buffer> Segment::read<Buffer>(Offset, std::size_t, Offset) const;
template Result<std::string> Segment::read<std::string>(Offset, std::size_t, Offset) const;

// Kafka's answer is a record, not a batch: the first record of the batch at
// `position` whose timestamp is at least `timestamp` (from `start` on), with
// that record's own timestamp. The batch's max timestamp is at least
// `timestamp`, so one exists unless the records contradict the header.
Result<TimestampOffset> Segment::first_record_at_or_after(std::uint64_t position,
                                                          const RecordBatchHeader& header,
                                                          std::int64_t timestamp,
                                                          Offset start) const {
  Buffer bytes;
  bytes.resize(header.size_bytes());
  STRATA_TRY(log_.read_exact_at(position, writable_bytes(bytes)));
  auto where = [&] {
    return log_.path().string() + ": batch at position " + std::to_string(position);
  };
  auto batch = RecordBatchView::validate(ByteSpan(bytes.data(), bytes.size()));
  if (!batch.ok()) return batch.status().with_context(where());
  std::optional<TimestampOffset> found;
  Status walked = for_each_record(*batch, [&](const RecordView& record) {
    if (record.offset >= start && record.timestamp >= timestamp) {
      found = TimestampOffset{record.timestamp, record.offset};
      return out_of_range_error("found");  // any error stops the walk; `found` says why
    }
    return Status();
  });
  if (found) return *found;
  if (!walked.ok()) return walked.with_context(where());
  return corruption_error(where() + ": no record reaches its max timestamp " +
                          std::to_string(header.max_timestamp));
}

Result<std::optional<TimestampOffset>> Segment::find_timestamp(std::int64_t timestamp) const {
  if (max_timestamp() < timestamp) return std::optional<TimestampOffset>();
  Offset start = base_;
  if (auto below = time_index_.last_below(timestamp)) start = base_ + below->relative_offset + 1;
  std::uint64_t end = readable_end();
  std::uint64_t pos =
      offset_index_.lookup(static_cast<std::uint32_t>(std::min<std::int64_t>(start - base_, UINT32_MAX)))
          .position;
  while (pos < end) {
    STRATA_TRY_ASSIGN(RecordBatchHeader h, read_header(pos, end));
    if (h.next_offset() > start && h.max_timestamp >= timestamp) {
      auto found = first_record_at_or_after(pos, h, timestamp, start);
      if (found.ok()) return std::optional<TimestampOffset>(*found);
      // The produce path checks headers and CRCs, not records: a batch whose
      // records do not decode is answered by its base offset, which never
      // skips a record at or after the timestamp.
      logger()->warn("{}: a timestamp lookup answers by batch: {}", log_.path().string(),
                     found.status().to_string());
      return std::optional<TimestampOffset>(TimestampOffset{h.max_timestamp, h.base_offset});
    }
    pos += h.size_bytes();
  }
  return std::optional<TimestampOffset>();
}

}  // namespace strata::storage
