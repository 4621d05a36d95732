#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <asio/thread_pool.hpp>

#include "broker/partition.h"
#include "common/ids.h"
#include "common/result.h"
#include "common/status.h"
#include "storage/log_options.h"

namespace strata::storage {
class LogManager;
}

namespace strata::broker {

// The partitions open on this broker: each a Partition over a log of the
// data directory's storage::LogManager (which owns the logs and the one
// group-commit Flusher they share). Knows nothing of which topics exist:
// TopicManager tells it what to open and what to remove.
//
// Threads: open() and remove() block on disk: call them on the admin
// executor or at start/stop, never on the pool (remove waits for the
// partitions' strands) or a network thread.
class ReplicaManager {
 public:
  // `logs` and `pool` are borrowed and must outlive this.
  ReplicaManager(storage::LogManager& logs, asio::thread_pool& pool) : logs_(logs), pool_(pool) {}
  ReplicaManager(const ReplicaManager&) = delete;
  ReplicaManager& operator=(const ReplicaManager&) = delete;

  // Opens (recovering) partitions [from, to) of `topic`. With `fresh`, any
  // directory left by a crash in the middle of a delete is removed first,
  // so a new partition starts empty. On an error, what it opened is closed
  // again (and removed when fresh). Errors: those of LogManager::open_log.
  Result<std::vector<std::shared_ptr<Partition>>> open(const std::string& topic,
                                                       const storage::LogOptions& options,
                                                       std::int32_t from, std::int32_t to,
                                                       bool fresh);
  // Closes `partitions` on their strands, waits, and when `remove_files`
  // deletes their directories through LogManager::remove_log (renamed
  // first, so a crash midway finishes the removal at the next start).
  // Returns the first error; every partition is attempted.
  Status close(const std::vector<std::shared_ptr<Partition>>& partitions, bool remove_files);

 private:
  storage::LogManager& logs_;
  asio::thread_pool& pool_;
};

}  // namespace strata::broker
