#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "common/result.h"
#include "common/status.h"

namespace strata::storage {

// A small file holding one int64 (a recovery point, a log start offset),
// replaced atomically: temp file, fsync, rename, fsync the directory.
// Layout: docs/formats/partition-log.md#checkpoints. Stateless; any thread,
// but one writer per path at a time.
class CheckpointFile {
 public:
  static constexpr std::size_t kSize = 20;

  // Durably replaces the file at `path` with `value`.
  static Status write(const std::filesystem::path& path, std::int64_t value);

  // The stored value; nullopt when the file is missing. Errors: corruption
  // when it is not exactly a valid checkpoint (wrong size, magic, version or
  // CRC), io_error. Callers treat corruption like a missing checkpoint.
  static Result<std::optional<std::int64_t>> read(const std::filesystem::path& path);
};

}  // namespace strata::storage
