#include "storage/leader_epoch_cache.h"

#include <algorithm>

#include "common/bytes.h"
#include "common/crc32c.h"
#include "common/endian.h"
#include "storage/file.h"

namespace strata::storage {

namespace {

constexpr std::uint32_t kMagic = 0x534C4543;  // "SLEC"
constexpr std::uint16_t kVersion = 1;
constexpr std::size_t kHeaderSize = 12;  // magic, version, reserved, count
constexpr std::size_t kEntrySize = 12;   // epoch i32, start offset i64
constexpr std::size_t kCrcSize = 4;
// A partition sees one epoch per leader change; far fewer than this.
constexpr std::size_t kMaxEntries = 1 << 16;

bool rising(const std::vector<EpochEntry>& entries) {
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].epoch <= entries[i - 1].epoch ||
        entries[i].start_offset < entries[i - 1].start_offset) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::vector<EpochEntry>> LeaderEpochCache::read_file(const std::filesystem::path& path) {
  STRATA_TRY_ASSIGN(File file, File::open(path, File::Mode::read_write));
  STRATA_TRY_ASSIGN(std::uint64_t size, file.size());
  const auto bad = [&](const std::string& why) {
    return corruption_error(path.string() + ": leader-epoch checkpoint " + why);
  };
  if (size < kHeaderSize + kCrcSize || size > kHeaderSize + kCrcSize + kMaxEntries * kEntrySize) {
    return bad("has " + std::to_string(size) + " bytes");
  }
  Buffer buf(static_cast<std::size_t>(size));
  STRATA_TRY(file.read_exact_at(0, buf));
  const std::size_t covered = buf.size() - kCrcSize;
  if (load_be<std::uint32_t>(buf.data()) != kMagic ||
      load_be<std::uint16_t>(buf.data() + 4) != kVersion) {
    return bad("magic or version mismatch");
  }
  if (load_be<std::uint32_t>(buf.data() + covered) != crc32c(ByteSpan(buf.data(), covered))) {
    return bad("crc mismatch");
  }
  const std::uint32_t count = load_be<std::uint32_t>(buf.data() + 8);
  if (kHeaderSize + std::size_t{count} * kEntrySize != covered) {
    return bad("count " + std::to_string(count) + " does not match its size");
  }
  std::vector<EpochEntry> entries;
  entries.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::byte* at = buf.data() + kHeaderSize + i * kEntrySize;
    entries.push_back({LeaderEpoch(load_be<std::int32_t>(at)), Offset(load_be<std::int64_t>(at + 4))});
    if (entries.back().epoch.value() < 0 || entries.back().start_offset.value() < 0) {
      return bad("holds a negative epoch or offset");
    }
  }
  if (!rising(entries)) return bad("entries do not rise");
  return entries;
}

Status LeaderEpochCache::write_file(const std::filesystem::path& path,
                                    const std::vector<EpochEntry>& entries) {
  Buffer buf(kHeaderSize + entries.size() * kEntrySize + kCrcSize);
  store_be<std::uint32_t>(buf.data(), kMagic);
  store_be<std::uint16_t>(buf.data() + 4, kVersion);
  store_be<std::uint16_t>(buf.data() + 6, 0);
  store_be<std::uint32_t>(buf.data() + 8, static_cast<std::uint32_t>(entries.size()));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::byte* at = buf.data() + kHeaderSize + i * kEntrySize;
    store_be<std::int32_t>(at, entries[i].epoch.value());
    store_be<std::int64_t>(at + 4, entries[i].start_offset.value());
  }
  const std::size_t covered = buf.size() - kCrcSize;
  store_be<std::uint32_t>(buf.data() + covered, crc32c(ByteSpan(buf.data(), covered)));
  return replace_file_durably(path, buf);
}

LeaderEpochCache::LeaderEpochCache(std::filesystem::path path, std::vector<EpochEntry> entries)
    : path_(std::move(path)), entries_(std::move(entries)) {}

Status LeaderEpochCache::assign(LeaderEpoch epoch, Offset start_offset) {
  std::vector<EpochEntry> next = entries();
  if (epoch.value() < 0) return Status::ok_status();  // unstamped batch: no epoch to record
  if (!next.empty() && epoch <= next.back().epoch) return Status::ok_status();
  if (!next.empty() && start_offset < next.back().start_offset) {
    return invalid_argument_error(path_.string() + ": epoch " + std::to_string(epoch.value()) +
                                  " would start at " + std::to_string(start_offset.value()) +
                                  " below epoch " + std::to_string(next.back().epoch.value()) +
                                  " at " + std::to_string(next.back().start_offset.value()));
  }
  // An epoch that never got a batch (its append failed after this file was
  // written) ends where the new one starts: it goes, as in Kafka's assign.
  std::erase_if(next, [start_offset](const EpochEntry& e) { return e.start_offset >= start_offset; });
  next.push_back({epoch, start_offset});
  return store(std::move(next));
}

Status LeaderEpochCache::truncate_from_end(Offset end) {
  std::vector<EpochEntry> next = entries();
  const std::size_t before = next.size();
  std::erase_if(next, [end](const EpochEntry& e) { return e.start_offset >= end; });
  if (next.size() == before) return Status::ok_status();
  return store(std::move(next));
}

Status LeaderEpochCache::truncate_from_start(Offset log_start) {
  std::vector<EpochEntry> next = entries();
  // The last entry starting at or below log_start holds it; those before go.
  std::size_t holder = 0;
  while (holder + 1 < next.size() && next[holder + 1].start_offset <= log_start) ++holder;
  if (next.empty() || (holder == 0 && next[0].start_offset >= log_start)) {
    return Status::ok_status();
  }
  next.erase(next.begin(), next.begin() + static_cast<std::ptrdiff_t>(holder));
  next.front().start_offset = std::max(next.front().start_offset, log_start);
  return store(std::move(next));
}

Status LeaderEpochCache::replace(std::vector<EpochEntry> entries) {
  if (!rising(entries)) return invalid_argument_error(path_.string() + ": epochs do not rise");
  return store(std::move(entries));
}

Status LeaderEpochCache::store(std::vector<EpochEntry> next) {
  STRATA_TRY(write_file(path_, next));
  std::lock_guard lock(mu_);
  entries_ = std::move(next);
  return Status::ok_status();
}

std::vector<EpochEntry> LeaderEpochCache::entries() const {
  std::lock_guard lock(mu_);
  return entries_;
}

std::optional<EpochEntry> LeaderEpochCache::latest() const {
  std::lock_guard lock(mu_);
  if (entries_.empty()) return std::nullopt;
  return entries_.back();
}

EpochEndOffset LeaderEpochCache::end_offset_for(LeaderEpoch requested, Offset log_end) const {
  std::lock_guard lock(mu_);
  if (requested.value() < 0 || entries_.empty()) return {};
  if (requested == entries_.back().epoch) return {requested, log_end};
  // The first entry with an epoch above the one asked for.
  auto higher = std::upper_bound(entries_.begin(), entries_.end(), requested,
                                 [](LeaderEpoch e, const EpochEntry& x) { return e < x.epoch; });
  if (higher == entries_.end()) return {};  // above every epoch this log knows
  if (higher == entries_.begin()) return {requested, higher->start_offset};
  return {std::prev(higher)->epoch, higher->start_offset};
}

std::optional<LeaderEpoch> LeaderEpochCache::epoch_for_offset(Offset offset) const {
  std::lock_guard lock(mu_);
  auto after = std::upper_bound(entries_.begin(), entries_.end(), offset,
                                [](Offset o, const EpochEntry& x) { return o < x.start_offset; });
  if (after == entries_.begin()) return std::nullopt;
  return std::prev(after)->epoch;
}

}  // namespace strata::storage
