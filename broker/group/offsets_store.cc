#include "broker/group/offsets_store.h"

#include <charconv>
#include <chrono>
#include <set>

#include "broker/logger.h"
#include "broker/partition.h"
#include "common/endian.h"
#include "common/record_batch_builder.h"
#include "common/record_batch_iterator.h"
#include "common/record_batch_reader.h"
#include "storage/kv_store.h"

namespace strata::broker {
namespace {

constexpr std::string_view kViewPrefix = "offsets/";
constexpr std::string_view kAppliedKey = "offsets-applied";
constexpr std::string_view kGroupViewPrefix = "groups/";
// Log keys of group metadata records start with NUL + 'G'; offset keys start
// with a group id, which is never empty and holds no NUL.
constexpr std::string_view kGroupKeyMarker{"\0G", 2};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "<group>\0<topic>\0<partition BE32>": the record key in the log, and the
// view key after kViewPrefix.
std::string entry_key(std::string_view group, const TopicPartition& tp) {
  std::string key(group);
  key.push_back('\0');
  key += tp.topic;
  key.push_back('\0');
  char be[4];
  store_be<std::int32_t>(reinterpret_cast<std::byte*>(be), tp.partition.value());
  key.append(be, 4);
  return key;
}

// Splits an entry key; nullopt when it is malformed.
std::optional<std::pair<std::string, TopicPartition>> parse_entry_key(std::string_view key) {
  const std::size_t a = key.find('\0');
  if (a == std::string_view::npos) return std::nullopt;
  const std::size_t b = key.find('\0', a + 1);
  if (b == std::string_view::npos || key.size() != b + 5) return std::nullopt;
  const auto partition = load_be<std::int32_t>(reinterpret_cast<const std::byte*>(key.data() + b + 1));
  return std::make_pair(std::string(key.substr(0, a)),
                        TopicPartition{std::string(key.substr(a + 1, b - a - 1)), PartitionId(partition)});
}

// offset BE64, commit time BE64, metadata bytes.
std::string encode_value(const CommittedOffset& v) {
  std::string out(16, '\0');
  store_be<std::int64_t>(reinterpret_cast<std::byte*>(out.data()), v.offset);
  store_be<std::int64_t>(reinterpret_cast<std::byte*>(out.data() + 8), v.commit_time_ms);
  return out + v.metadata;
}

std::optional<CommittedOffset> decode_value(std::string_view value) {
  if (value.size() < 16) return std::nullopt;
  CommittedOffset out;
  out.offset = load_be<std::int64_t>(reinterpret_cast<const std::byte*>(value.data()));
  out.commit_time_ms = load_be<std::int64_t>(reinterpret_cast<const std::byte*>(value.data() + 8));
  out.metadata = std::string(value.substr(16));
  return out;
}

std::string view_key(std::string_view log_key) {
  if (log_key.substr(0, kGroupKeyMarker.size()) == kGroupKeyMarker) {
    return std::string(kGroupViewPrefix) + std::string(log_key.substr(kGroupKeyMarker.size()));
  }
  return std::string(kViewPrefix) + std::string(log_key);
}

}  // namespace

Status validate_group_id(std::string_view group) {
  if (group.empty()) return invalid_argument_error("group id is empty");
  if (group.size() > 255) return invalid_argument_error("group id is longer than 255 bytes");
  if (group.find('\0') != std::string_view::npos) {
    return invalid_argument_error("group id contains a NUL byte");
  }
  return Status::ok_status();
}

OffsetsStore::OffsetsStore(storage::KvStore& kv, std::shared_ptr<Partition> log)
    : kv_(kv), log_(std::move(log)) {}

Status OffsetsStore::load() {
  STRATA_TRY_ASSIGN(std::optional<std::string> applied_text, kv_.get(kAppliedKey));
  std::int64_t applied = 0;
  if (applied_text) {
    auto [ptr, ec] = std::from_chars(applied_text->data(),
                                     applied_text->data() + applied_text->size(), applied);
    if (ec != std::errc()) applied = -1;  // unreadable: rebuild below
  }
  const Offset start = log_->log_start_offset();
  const Offset end = log_->high_watermark();
  if (applied > end.value() || applied < start.value()) {
    // The view is ahead of the log (the log lost a tail) or the log moved
    // past it: rebuild from the log alone.
    logger()->warn("offsets: view at {} is outside the log [{}, {}], rebuilding", applied,
                   start.value(), end.value());
    STRATA_TRY_ASSIGN(std::vector<storage::KvPair> old, kv_.scan_prefix(kViewPrefix));
    STRATA_TRY_ASSIGN(std::vector<storage::KvPair> old_groups, kv_.scan_prefix(kGroupViewPrefix));
    storage::KvWriteBatch clear;
    for (const auto& pair : old) clear.remove(pair.key);
    for (const auto& pair : old_groups) clear.remove(pair.key);
    clear.put(kAppliedKey, std::to_string(start.value()));
    STRATA_TRY(kv_.write(clear));
    applied = start.value();
  }
  std::size_t records = 0;
  Offset position(applied);
  for (int rounds = 0; position < end && rounds < 10'000'000; ++rounds) {
    STRATA_TRY_ASSIGN(Buffer bytes, log_->read(position, 1 << 20));
    if (bytes.empty()) break;
    RecordBatchIterator it(bytes);
    for (;;) {
      STRATA_TRY_ASSIGN(std::optional<RecordBatchView> batch, it.next());
      if (!batch) break;
      STRATA_TRY_ASSIGN(std::vector<Record> decoded, read_records(*batch));
      for (const Record& r : decoded) {
        if (r.offset < position || !r.key) continue;
        std::optional<std::string_view> value;
        if (r.value) value = as_string_view(*r.value);
        STRATA_TRY(apply(as_string_view(*r.key), value, r.offset.value() + 1));
        ++records;
      }
      position = batch->header().next_offset();
    }
  }
  logger()->info("offsets: view caught up from={} to={} records_applied={}", applied,
                 position.value(), records);
  return Status::ok_status();
}

Status OffsetsStore::apply(std::string_view log_key, std::optional<std::string_view> log_value,
                           std::int64_t next_offset) {
  storage::KvWriteBatch batch;
  if (log_value) {
    batch.put(view_key(log_key), *log_value);
  } else {
    batch.remove(view_key(log_key));
  }
  batch.put(kAppliedKey, std::to_string(next_offset));
  return kv_.write(batch);
}

void OffsetsStore::commit(const std::string& group, std::vector<OffsetEntry> entries,
                          std::function<void(Status)> done) {
  const std::int64_t now = now_ms();
  std::vector<std::pair<std::string, std::optional<std::string>>> kv_entries;
  for (OffsetEntry& e : entries) {
    std::optional<std::string> value;
    if (e.value) {
      e.value->commit_time_ms = now;
      value = encode_value(*e.value);
    }
    kv_entries.emplace_back(entry_key(group, e.topic_partition), std::move(value));
  }
  append(std::move(kv_entries), std::move(done));
}

void OffsetsStore::store_group_metadata(const std::string& group, std::optional<std::string> value,
                                        std::function<void(Status)> done) {
  std::string key(kGroupKeyMarker);
  key += group;
  std::vector<std::pair<std::string, std::optional<std::string>>> kv_entries;
  kv_entries.emplace_back(std::move(key), std::move(value));
  append(std::move(kv_entries), std::move(done));
}

void OffsetsStore::append(std::vector<std::pair<std::string, std::optional<std::string>>> kv_entries,
                          std::function<void(Status)> done) {
  RecordBatchBuilder builder;
  const std::int64_t now = now_ms();
  for (const auto& [key, value] : kv_entries) {
    std::optional<ByteSpan> value_bytes;
    if (value) value_bytes = as_bytes(*value);
    Status st = builder.append(now, as_bytes(key), value_bytes);
    if (!st.ok()) return done(st);
  }
  Result<Buffer> batch = builder.build();
  if (!batch.ok()) return done(batch.status());
  log_->append(std::move(batch).value(), Acks::all,
               [this, kv_entries = std::move(kv_entries),
                done = std::move(done)](Result<storage::AppendResult> appended) {
                 // On the offsets partition's strand, in log order.
                 if (!appended.ok()) return done(appended.status());
                 storage::KvWriteBatch view;
                 for (const auto& [key, value] : kv_entries) {
                   if (value) {
                     view.put(view_key(key), *value);
                   } else {
                     view.remove(view_key(key));
                   }
                 }
                 view.put(kAppliedKey, std::to_string(appended->last_offset.value() + 1));
                 done(kv_.write(view));
               });
}

Result<std::vector<std::pair<std::string, std::string>>> OffsetsStore::load_group_metadata() const {
  STRATA_TRY_ASSIGN(std::vector<storage::KvPair> pairs, kv_.scan_prefix(kGroupViewPrefix));
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& pair : pairs) {
    out.emplace_back(pair.key.substr(kGroupViewPrefix.size()), std::move(pair.value));
  }
  return out;
}

Result<std::optional<CommittedOffset>> OffsetsStore::fetch(const std::string& group,
                                                           const TopicPartition& tp) const {
  STRATA_TRY_ASSIGN(std::optional<std::string> value, kv_.get(view_key(entry_key(group, tp))));
  if (!value) return std::optional<CommittedOffset>();
  return decode_value(*value);
}

Result<std::vector<std::pair<TopicPartition, CommittedOffset>>> OffsetsStore::fetch_all(
    const std::string& group) const {
  std::string prefix = std::string(kViewPrefix) + group;
  prefix.push_back('\0');
  STRATA_TRY_ASSIGN(std::vector<storage::KvPair> pairs, kv_.scan_prefix(prefix));
  std::vector<std::pair<TopicPartition, CommittedOffset>> out;
  for (const auto& pair : pairs) {
    auto key = parse_entry_key(std::string_view(pair.key).substr(kViewPrefix.size()));
    auto value = decode_value(pair.value);
    if (key && value) out.emplace_back(key->second, *value);
  }
  return out;
}

Result<std::vector<std::string>> OffsetsStore::list_groups() const {
  STRATA_TRY_ASSIGN(std::vector<storage::KvPair> pairs, kv_.scan_prefix(kViewPrefix));
  std::set<std::string> groups;
  for (const auto& pair : pairs) {
    auto key = parse_entry_key(std::string_view(pair.key).substr(kViewPrefix.size()));
    if (key) groups.insert(key->first);
  }
  return std::vector<std::string>(groups.begin(), groups.end());
}

}  // namespace strata::broker
