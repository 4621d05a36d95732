#include "storage/offset_index.h"

#include <algorithm>

#include "common/endian.h"

namespace strata::storage {

namespace {

void encode(const OffsetIndex::Entry& e, std::byte* out) {
  store_be<std::uint32_t>(out, e.relative_offset);
  store_be<std::uint32_t>(out + 4, e.position);
}

}  // namespace

Result<std::vector<OffsetIndex::Entry>> OffsetIndex::load(const File& file) {
  STRATA_TRY_ASSIGN(Buffer buf, file.read_all_entries(kEntrySize));
  std::vector<Entry> entries(buf.size() / kEntrySize);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::byte* p = buf.data() + i * kEntrySize;
    entries[i] = {load_be<std::uint32_t>(p), load_be<std::uint32_t>(p + 4)};
  }
  return entries;
}

Status OffsetIndex::check(const std::vector<Entry>& entries, std::uint64_t log_size) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    bool rising = i == 0 || (e.relative_offset > entries[i - 1].relative_offset &&
                             e.position > entries[i - 1].position);
    if (!rising || e.position >= log_size) {
      return corruption_error("offset index entry " + std::to_string(i) + " (" +
                              std::to_string(e.relative_offset) + ", " +
                              std::to_string(e.position) + ") is out of order or past the log");
    }
  }
  return Status::ok_status();
}

OffsetIndex::OffsetIndex(File file, std::vector<Entry> entries)
    : file_(std::move(file)), entries_(std::move(entries)) {}

OffsetIndex::Entry OffsetIndex::lookup(std::uint32_t relative_offset) const {
  std::lock_guard lock(mu_);
  auto it = std::upper_bound(
      entries_.begin(), entries_.end(), relative_offset,
      [](std::uint32_t rel, const Entry& e) { return rel < e.relative_offset; });
  if (it == entries_.begin()) return {};
  return *std::prev(it);
}

std::size_t OffsetIndex::entry_count() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::vector<OffsetIndex::Entry> OffsetIndex::entries() const {
  std::lock_guard lock(mu_);
  return entries_;
}

std::optional<OffsetIndex::Entry> OffsetIndex::last() const {
  std::lock_guard lock(mu_);
  if (entries_.empty()) return std::nullopt;
  return entries_.back();
}

Status OffsetIndex::append(Entry e) {
  std::size_t count = entry_count();
  std::byte buf[kEntrySize];
  encode(e, buf);
  // The file is written outside the lock: only this (writer) thread changes
  // the file or the vector's length.
  STRATA_TRY(file_.write_at(count * kEntrySize, ByteSpan(buf, kEntrySize)));
  std::lock_guard lock(mu_);
  entries_.push_back(e);
  return Status::ok_status();
}

Status OffsetIndex::reset(std::vector<Entry> entries) {
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
