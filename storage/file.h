#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "common/status.h"

namespace strata::storage {

// An open POSIX file descriptor, closed on destruction. Positional I/O only
// (pread/pwrite), so one File may be read from many threads while one thread
// writes to it. Errors name the path.
class File {
 public:
  enum class Mode { read_write, create_new, create_or_open };

  // Errors: not_found (read_write on a missing file), already_exists
  // (create_new on an existing one), io_error.
  static Result<File> open(const std::filesystem::path& path, Mode mode);

  File() = default;
  ~File();
  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }

  Result<std::uint64_t> size() const;
  // Reads up to out.size() bytes at `pos`; returns the count (short at end of file).
  Result<std::size_t> read_at(std::uint64_t pos, std::span<std::byte> out) const;
  // Reads exactly out.size() bytes or fails with corruption (file too short).
  Status read_exact_at(std::uint64_t pos, std::span<std::byte> out) const;
  // Reads the whole file as fixed-size entries (index files); corruption when
  // its size is not a multiple of `entry_size`.
  Result<Buffer> read_all_entries(std::size_t entry_size) const;
  Status write_at(std::uint64_t pos, ByteSpan data);
  // Writes all of `parts` back to back starting at `pos` (pwritev, retried on short writes).
  Status writev_at(std::uint64_t pos, std::span<const ByteSpan> parts);
  Status truncate(std::uint64_t size);
  Status datasync();  // fdatasync
  Status sync();      // fsync: only for metadata-bearing files (checkpoints)
  Status close();

 private:
  File(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::filesystem::path path_;
};

// fsyncs a directory so that creates, renames and unlinks in it are durable.
Status sync_directory(const std::filesystem::path& dir);

// Bytes an unprivileged writer may still use on the file system holding
// `path` (statvfs f_bavail). Errors: io_error.
Result<std::uint64_t> available_bytes(const std::filesystem::path& path);

// Unlinks `path`; a missing file is not an error.
Status remove_file(const std::filesystem::path& path);

// Durably replaces the file at `path` with `bytes`: writes `<path>.tmp`,
// fsyncs it, renames it over `path` and fsyncs the directory, so a crash
// leaves either the old file or the new one (and maybe a stray .tmp).
// Errors: io_error (or no_space).
Status replace_file_durably(const std::filesystem::path& path, ByteSpan bytes);

}  // namespace strata::storage
