#pragma once

// A file strata-dump reads with pread, closed on destruction. Move-only;
// one thread at a time.

#include <cstdint>
#include <filesystem>

#include "common/bytes.h"
#include "common/result.h"
#include "common/status.h"

namespace strata::dump {

class ReadOnlyFile {
 public:
  // Errors: not_found when nothing is at `path`, io_error otherwise.
  static Result<ReadOnlyFile> open(const std::filesystem::path& path);

  ReadOnlyFile(ReadOnlyFile&& other) noexcept;
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(ReadOnlyFile&&) = delete;
  ~ReadOnlyFile();

  Result<std::uint64_t> size() const;
  // Fills `out` from `position`. Errors: io_error, also when the file ends
  // before `out` is full.
  Status read_at(std::uint64_t position, Buffer& out) const;

  const std::filesystem::path& path() const { return path_; }

 private:
  ReadOnlyFile(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_;
};

}  // namespace strata::dump
