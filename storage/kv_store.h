#pragma once

// A small durable keyed store on RocksDB, for metadata that is not a log:
// the standalone metadata store, committed group offsets, producer-id state.
// RocksDB stays behind a pimpl; no rocksdb header leaks from here.

#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace strata::storage {

struct KvStoreOptions {
  // Create the directory and an empty store when none exists at the path.
  bool create_if_missing = true;
  // Every put, remove and write fsyncs RocksDB's write-ahead log before it
  // returns, so an acknowledged write survives a power loss. With false, a
  // write survives a process crash but may be lost with the machine until
  // sync_wal() or a later synced write.
  bool sync_writes = true;
};

// One key and its value, as scan_prefix() returns them.
struct KvPair {
  std::string key;
  std::string value;

  bool operator==(const KvPair&) const = default;
};

// Puts and removes that KvStore::write() applies all together or not at all,
// in the order they were added (a later op on the same key wins). A plain
// value: build it on any thread, hand it to write().
class KvWriteBatch {
 public:
  enum class OpKind : unsigned char { put, remove };
  struct Op {
    OpKind kind;
    std::string key;
    std::string value;  // empty for remove
  };

  KvWriteBatch& put(std::string_view key, std::string_view value);
  KvWriteBatch& remove(std::string_view key);

  const std::vector<Op>& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }
  std::size_t size() const { return ops_.size(); }

 private:
  std::vector<Op> ops_;
};

// A RocksDB database in one directory, keys and values as arbitrary bytes
// ordered bytewise (unsigned). Owned by whoever opened it; the directory is
// locked while it is open, so one KvStore per path per machine. Any thread
// may call any method concurrently (RocksDB serializes writes), but each
// call does disk I/O: never call it on a reactor thread.
//
// Errors map RocksDB's kinds onto ErrorCode: corruption (the files are
// damaged: data may be lost), io_error / no_space (the disk failed; the
// write may or may not be durable), invalid_argument, unsupported,
// timed_out, unavailable (busy, retry), shutting_down, internal.
class KvStore {
 public:
  static constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

  // Opens (and, with create_if_missing, creates) the store at `path`.
  // Errors: invalid_argument when `path` exists and is not a directory,
  // or when no store exists there and create_if_missing is false;
  // io_error when the directory is locked by another open store or the disk
  // fails; corruption when RocksDB finds its files damaged.
  static Result<std::unique_ptr<KvStore>> open(const std::string& path,
                                               const KvStoreOptions& options = {});

  ~KvStore();
  KvStore(const KvStore&) = delete;
  KvStore& operator=(const KvStore&) = delete;

  // Sets `key` to `value`, replacing any previous value.
  Status put(std::string_view key, std::string_view value);

  // The value of `key`, or std::nullopt when it has none. Absence is not an
  // error: the Result holds an error only when the read itself failed.
  Result<std::optional<std::string>> get(std::string_view key) const;

  // Removes `key`. Removing an absent key is ok.
  Status remove(std::string_view key);

  // Applies every op of `batch` atomically: after a crash either all of them
  // are visible or none. An empty batch is ok and does nothing.
  Status write(const KvWriteBatch& batch);

  // Every pair whose key starts with `prefix`, in ascending key order, at
  // most `max_pairs` of them. An empty prefix scans the whole store. Reads
  // one consistent snapshot.
  Result<std::vector<KvPair>> scan_prefix(std::string_view prefix,
                                          std::size_t max_pairs = kNoLimit) const;

  // Fsyncs the write-ahead log: makes every write so far durable. Only
  // useful with sync_writes=false.
  Status sync_wal();

  const std::string& path() const { return path_; }

 private:
  class Impl;
  KvStore(std::string path, std::unique_ptr<Impl> impl);

  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::storage
