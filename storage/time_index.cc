#include "storage/time_index.h"

#include <algorithm>

#include "common/endian.h"

namespace strata::storage {

namespace {

void encode(const TimeIndex::Entry& e, std::byte* out) {
  store_be<std::int64_t>(out, e.timestamp);
  store_be<std::uint32_t>(out + 8, e.relative_offset);
}

}  // namespace

Result<std::vector<TimeIndex::Entry>> TimeIndex::load(const File& file) {
  STRATA_TRY_ASSIGN(Buffer buf, file.read_all_entries(kEntrySize));
  std::vector<Entry> entries(buf.size() / kEntrySize);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::byte* p = buf.data() + i * kEntrySize;
    entries[i] = {load_be<std::int64_t>(p), load_be<std::uint32_t>(p + 8)};
  }
  return entries;
}

Status TimeIndex::check(const std::vector<Entry>& entries, std::int64_t relative_end) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    bool rising = i == 0 || (e.timestamp > entries[i - 1].timestamp &&
                             e.relative_offset > entries[i - 1].relative_offset);
    if (!rising || static_cast<std::int64_t>(e.relative_offset) >= relative_end) {
      return corruption_error("time index entry " + std::to_string(i) + " (" +
                              std::to_string(e.timestamp) + ", " +
                              std::to_string(e.relative_offset) +
                              ") is out of order or past the log");
    }
  }
  return Status::ok_status();
}

TimeIndex::TimeIndex(File file, std::vector<Entry> entries)
    : file_(std::move(file)), entries_(std::move(entries)) {}

std::optional<TimeIndex::Entry> TimeIndex::last_below(std::int64_t timestamp) const {
  std::lock_guard lock(mu_);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), timestamp,
                             [](const Entry& e, std::int64_t ts) { return e.timestamp < ts; });
  if (it == entries_.begin()) return std::nullopt;
  return *std::prev(it);
}

std::optional<TimeIndex::Entry> TimeIndex::last() const {
  std::lock_guard lock(mu_);
  if (entries_.empty()) return std::nullopt;
  return entries_.back();
}

std::vector<TimeIndex::Entry> TimeIndex::entries() const {
  std::lock_guard lock(mu_);
  return entries_;
}

Status TimeIndex::append(Entry e) {
  std::size_t count;
  {
    std::lock_guard lock(mu_);
    count = entries_.size();
  }
  std::byte buf[kEntrySize];
  encode(e, buf);
  STRATA_TRY(file_.write_at(count * kEntrySize, ByteSpan(buf, kEntrySize)));
  std::lock_guard lock(mu_);
  entries_.push_back(e);
  return Status::ok_status();
}

Status TimeIndex::reset(std::vector<Entry> entries) {
  Buffer buf(entries.size() * kEntrySize);
  for (std::size_t i = 0; i < entries.size(); ++i) encode(entries[i], buf.data() + i * kEntrySize);
  {
    std::lock_guard lock(mu_);
    entries_ = std::move(entries);
  }
  STRATA_TRY(file_.truncate(0));
  return file_.write_at(0, buf);
}

}  // namespace strata::storage
