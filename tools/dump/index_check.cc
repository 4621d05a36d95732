#include "tools/dump/index_check.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/endian.h"
#include "tools/dump/read_only_file.h"

namespace strata::dump {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kOffsetEntrySize = 8;
constexpr std::size_t kTimeEntrySize = 12;

// The batches of one segment, looked up by position and by base offset.
class BatchTable {
 public:
  explicit BatchTable(const std::vector<BatchLocation>& batches) : batches_(batches) {
    std::int64_t running_max = -1;
    running_max_.reserve(batches.size());
    for (std::size_t i = 0; i < batches.size(); ++i) {
      by_position_.emplace(batches[i].position, i);
      by_offset_.emplace(batches[i].base_offset.value(), i);
      if (batches[i].is_valid) running_max = std::max(running_max, batches[i].max_timestamp);
      running_max_.push_back(running_max);
    }
  }

  const BatchLocation* at_position(std::uint64_t position) const {
    auto it = by_position_.find(position);
    return it == by_position_.end() ? nullptr : &batches_[it->second];
  }
  // The index of the batch starting at `offset`, if one does.
  std::optional<std::size_t> starting_at(Offset offset) const {
    auto it = by_offset_.find(offset.value());
    if (it == by_offset_.end()) return std::nullopt;
    return it->second;
  }
  // The largest max timestamp of the valid batches up to and including `i`.
  std::int64_t running_max(std::size_t i) const { return running_max_[i]; }

 private:
  const std::vector<BatchLocation>& batches_;
  std::unordered_map<std::uint64_t, std::size_t> by_position_;
  std::map<std::int64_t, std::size_t> by_offset_;
  std::vector<std::int64_t> running_max_;
};

// Reads a whole index file; nullopt when there is none.
Result<std::optional<Buffer>> read_index(const fs::path& path) {
  Result<ReadOnlyFile> file = ReadOnlyFile::open(path);
  if (!file.ok() && file.status().code() == ErrorCode::not_found) return std::optional<Buffer>();
  if (!file.ok()) return file.status();
  STRATA_TRY_ASSIGN(std::uint64_t size, file->size());
  Buffer bytes(size);
  STRATA_TRY(file->read_at(0, bytes));
  return std::optional<Buffer>(std::move(bytes));
}

// Collects findings for one index file, up to kMaxFindingsPerIndex.
class FindingSink {
 public:
  explicit FindingSink(fs::path file) : file_(std::move(file)) {}
  bool full() const { return findings_.size() >= kMaxFindingsPerIndex; }
  void add(std::uint64_t position, std::string message) {
    if (full()) return;
    findings_.push_back(Finding{file_, position, std::move(message)});
    if (full()) findings_.back().message += " (further entries not checked)";
  }
  void append_to(std::vector<Finding>& out) && {
    out.insert(out.end(), findings_.begin(), findings_.end());
  }

 private:
  fs::path file_;
  std::vector<Finding> findings_;
};

void check_entry_size(FindingSink& sink, const Buffer& bytes, std::size_t entry_size) {
  if (bytes.size() % entry_size != 0) {
    sink.add(bytes.size() - bytes.size() % entry_size,
             "partial entry: size " + std::to_string(bytes.size()) + " is not a multiple of " +
                 std::to_string(entry_size));
  }
}

void check_offset_index(FindingSink& sink, const Buffer& bytes, Offset base,
                        const BatchTable& table) {
  check_entry_size(sink, bytes, kOffsetEntrySize);
  std::optional<std::uint32_t> prev_relative;
  std::optional<std::uint32_t> prev_position;
  for (std::size_t at = 0; at + kOffsetEntrySize <= bytes.size() && !sink.full();
       at += kOffsetEntrySize) {
    const auto relative = load_be<std::uint32_t>(bytes.data() + at);
    const auto position = load_be<std::uint32_t>(bytes.data() + at + 4);
    const std::string entry =
        "entry (" + std::to_string(relative) + ", " + std::to_string(position) + ")";
    if (prev_relative && (relative <= *prev_relative || position <= *prev_position)) {
      sink.add(at, entry + " does not rise above the previous entry (" +
                       std::to_string(*prev_relative) + ", " + std::to_string(*prev_position) +
                       ")");
    }
    prev_relative = relative;
    prev_position = position;
    const Offset offset = base + relative;
    const BatchLocation* batch = table.at_position(position);
    if (batch == nullptr) {
      sink.add(at, entry + " points to log byte " + std::to_string(position) +
                       ", which is not the start of a complete batch");
    } else if (batch->base_offset != offset) {
      sink.add(at, entry + " says offset " + std::to_string(offset.value()) +
                       " but the batch at log byte " + std::to_string(position) +
                       " starts at offset " +
                       std::to_string(batch->base_offset.value()));
    }
  }
}

void check_time_index(FindingSink& sink, const Buffer& bytes, Offset base,
                      const BatchTable& table) {
  check_entry_size(sink, bytes, kTimeEntrySize);
  std::optional<std::int64_t> prev_timestamp;
  std::optional<std::uint32_t> prev_relative;
  for (std::size_t at = 0; at + kTimeEntrySize <= bytes.size() && !sink.full();
       at += kTimeEntrySize) {
    const auto timestamp = load_be<std::int64_t>(bytes.data() + at);
    const auto relative = load_be<std::uint32_t>(bytes.data() + at + 8);
    const std::string entry =
        "entry (" + std::to_string(timestamp) + ", " + std::to_string(relative) + ")";
    if (prev_relative && (timestamp <= *prev_timestamp || relative <= *prev_relative)) {
      sink.add(at, entry + " does not rise above the previous entry (" +
                       std::to_string(*prev_timestamp) + ", " + std::to_string(*prev_relative) +
                       ")");
    }
    prev_timestamp = timestamp;
    prev_relative = relative;
    const Offset offset = base + relative;
    std::optional<std::size_t> batch = table.starting_at(offset);
    if (!batch) {
      sink.add(at, entry + ": no complete batch starts at offset " +
                       std::to_string(offset.value()));
    } else if (table.running_max(*batch) > timestamp) {
      sink.add(at, entry + ": the batches up to offset " + std::to_string(offset.value()) +
                       " reach max timestamp " + std::to_string(table.running_max(*batch)));
    }
  }
}

}  // namespace

Result<std::vector<Finding>> check_indexes(const SegmentReport& segment,
                                           const std::vector<BatchLocation>& batches) {
  std::vector<Finding> findings;
  const std::optional<Offset> base =
      segment.name_base_offset ? segment.name_base_offset : segment.first_offset;
  if (!base) return findings;  // no name and no batch: nothing to check entries against
  const BatchTable table(batches);

  fs::path index_path = segment.path;
  index_path.replace_extension(".index");
  STRATA_TRY_ASSIGN(std::optional<Buffer> index, read_index(index_path));
  if (index) {
    FindingSink sink(index_path);
    check_offset_index(sink, *index, *base, table);
    std::move(sink).append_to(findings);
  }

  fs::path time_index_path = segment.path;
  time_index_path.replace_extension(".timeindex");
  STRATA_TRY_ASSIGN(std::optional<Buffer> time_index, read_index(time_index_path));
  if (time_index) {
    FindingSink sink(time_index_path);
    check_time_index(sink, *time_index, *base, table);
    std::move(sink).append_to(findings);
  }
  return findings;
}

}  // namespace strata::dump
