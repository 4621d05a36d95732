#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "storage/flusher.h"
#include "storage/log_options.h"
#include "storage/partition_log.h"

namespace strata::storage {

// Every partition log of one data directory (`<data-dir>/<name>/`, name like
// "orders-3") and the one Flusher they share. Owned by the broker; all
// methods are thread-safe. Logs are handed out as shared_ptr so a reader
// holding one can finish while the log is removed.
class LogManager {
 public:
  // Creates `data_dir` when missing, deletes leftovers of interrupted
  // removals, and starts the Flusher (which reports each cycle to
  // `observer`, when given). Opens no log.
  static Result<std::unique_ptr<LogManager>> open(const std::filesystem::path& data_dir,
                                                  Flusher::CycleObserver observer = {});
  // close()s (errors are logged).
  ~LogManager();
  LogManager(const LogManager&) = delete;
  LogManager& operator=(const LogManager&) = delete;

  // Opens the log `name` (creating its directory when missing), or returns
  // the one already open. Errors: invalid_argument (a name that is not one
  // path component), those of PartitionLog::open.
  Result<std::shared_ptr<PartitionLog>> open_log(const std::string& name, LogOptions options);
  // Like open_log, but already_exists when the directory exists.
  Result<std::shared_ptr<PartitionLog>> create_log(const std::string& name, LogOptions options);
  // The open log `name`, or null.
  std::shared_ptr<PartitionLog> get(const std::string& name) const;
  // Closes the log (if open) and deletes its directory: renamed to
  // `<name>.deleted` first, so a crash midway finishes the job at the next open.
  Status remove_log(const std::string& name);
  // Names of the partition directories on disk (open or not), sorted.
  Result<std::vector<std::string>> list_on_disk() const;
  // Closes every log, then stops the Flusher. Idempotent.
  Status close();

  Flusher& flusher() { return flusher_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  LogManager(std::filesystem::path data_dir, Flusher::CycleObserver observer)
      : data_dir_(std::move(data_dir)), flusher_("flusher", std::move(observer)) {}
  static Status check_name(const std::string& name);

  const std::filesystem::path data_dir_;
  Flusher flusher_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<PartitionLog>> logs_;  // guarded by mu_
  bool closed_ = false;                                          // guarded by mu_
};

}  // namespace strata::storage
