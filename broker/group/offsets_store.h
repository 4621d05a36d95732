#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "common/status.h"

namespace strata::storage {
class KvStore;
}

namespace strata::broker {

class Partition;

// A committed position of a group in one partition.
struct CommittedOffset {
  std::int64_t offset = -1;
  std::int64_t commit_time_ms = -1;
  std::string metadata;
};

// One entry of a commit (or, with no value, of a group deletion).
struct OffsetEntry {
  TopicPartition topic_partition;
  std::optional<CommittedOffset> value;  // nullopt = remove
};

// The name of the internal topic that holds committed offsets.
inline constexpr std::string_view kOffsetsTopic = "__consumer_offsets";
// The longest metadata string a commit may carry (Kafka's
// offset.metadata.max.bytes).
inline constexpr std::size_t kMaxOffsetMetadataBytes = 4096;

// Committed group offsets (docs/configuration.md, "Committed offsets"): each
// commit is appended as records to partition 0 of __consumer_offsets
// (durable), and once durable applied to a RocksDB view (keys
// "offsets/<group>\0<topic>\0<partition BE32>") that serves lookups. The
// key "offsets-applied" holds the log offset the view has applied up to, so
// load() catches up after a crash.
//
// Threads: commit() from any thread (the append runs on the partition's
// strand, and the view is updated there in log order). The lookups and
// load() read RocksDB: pool threads only.
class OffsetsStore {
 public:
  OffsetsStore(storage::KvStore& kv, std::shared_ptr<Partition> log);

  // Brings the view up to the log's end (rebuilding it when it is ahead of
  // the log). Blocking; call before serving.
  Status load();

  // Appends `entries` for `group` and applies them; `done` runs on a pool
  // thread with the outcome once they are durable and visible to lookups.
  void commit(const std::string& group, std::vector<OffsetEntry> entries,
              std::function<void(Status)> done);

  Result<std::optional<CommittedOffset>> fetch(const std::string& group,
                                               const TopicPartition& tp) const;
  // Every committed offset of `group`, by topic and partition.
  Result<std::vector<std::pair<TopicPartition, CommittedOffset>>> fetch_all(
      const std::string& group) const;
  // The ids of every group with at least one committed offset, sorted.
  Result<std::vector<std::string>> list_groups() const;

  // Appends a group's metadata record (GroupMetadataRecord bytes; nullopt
  // removes it) to the same log, keyed "\0G<group>" so it never collides
  // with an offset key, and applies it to the view under "groups/<group>".
  // `done` as for commit().
  void store_group_metadata(const std::string& group, std::optional<std::string> value,
                            std::function<void(Status)> done);
  // Every stored group metadata record: (group id, value bytes), by id.
  // Blocking RocksDB read.
  Result<std::vector<std::pair<std::string, std::string>>> load_group_metadata() const;

 private:
  void append(std::vector<std::pair<std::string, std::optional<std::string>>> kv_entries,
              std::function<void(Status)> done);
  Status apply(std::string_view log_key, std::optional<std::string_view> log_value,
               std::int64_t next_offset);

  storage::KvStore& kv_;
  const std::shared_ptr<Partition> log_;
};

// Checks a group id: 1..255 bytes without NUL. Errors: invalid_argument.
Status validate_group_id(std::string_view group);

}  // namespace strata::broker
