#pragma once

// An exclusive lock on a data directory, so two brokers (or a broker and a
// second copy of itself started by mistake) never write the same logs.

#include <filesystem>
#include <memory>

#include "common/result.h"

namespace strata::storage {

// Holds flock(LOCK_EX) on `<dir>/strata.lock` for its lifetime and writes the
// holder's PID into the file for the error a second holder gets. The kernel
// drops the lock when the process dies, so a crash never leaves the directory
// locked. Owned by whoever opened the directory (the broker's Server); not
// copyable; any thread.
class DataDirLock {
 public:
  static constexpr const char* kFileName = "strata.lock";

  // Errors: unavailable when another open file description holds the lock
  // (the message names the directory and the PID recorded in the file);
  // io_error when the file cannot be opened or written.
  static Result<std::unique_ptr<DataDirLock>> acquire(const std::filesystem::path& dir);

  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace strata::storage
