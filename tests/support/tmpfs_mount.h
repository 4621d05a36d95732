#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/temp_dir.h"

namespace strata::testing {

// A tmpfs of a fixed size mounted on a fresh directory, for tests that need
// a file system to run out of space (ENOSPC) in milliseconds. Needs
// CAP_SYS_ADMIN: root on the development and CI machines
// (../shared/docs/RELIABILITY.md §6, "tmpfs size="). tmpfs ignores fsync, so
// it proves nothing about durability. Unmounted (lazily) and removed on
// destruction. One test thread uses it.
class TmpfsMount {
 public:
  // Mounts it, or returns nullptr with the reason in *error.
  static std::unique_ptr<TmpfsMount> mount(std::uint64_t size_bytes, std::string* error);
  ~TmpfsMount();
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // Bytes still free (statvfs).
  std::uint64_t available_bytes() const;
  // Grows the file `name` until at most `leave_bytes` stay free; returns
  // its size. With leave_bytes 0 it writes until ENOSPC.
  std::uint64_t fill(const std::string& name, std::uint64_t leave_bytes = 0) const;

 private:
  explicit TmpfsMount(std::unique_ptr<TempDir> dir);

  std::unique_ptr<TempDir> dir_;
  std::filesystem::path path_;
};

}  // namespace strata::testing
