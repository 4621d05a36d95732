#include "tests/support/tmpfs_mount.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace strata::testing {

std::unique_ptr<TmpfsMount> TmpfsMount::mount(std::uint64_t size_bytes, std::string* error) {
  auto dir = std::make_unique<TempDir>("strata-tmpfs");
  const std::string options = "size=" + std::to_string(size_bytes) + ",mode=0755";
  if (::mount("strata-test", dir->path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
              options.c_str()) != 0) {
    *error = "mount -t tmpfs -o " + options + " " + dir->path().string() + ": " +
             std::strerror(errno) + " (needs CAP_SYS_ADMIN, see RELIABILITY.md section 6)";
    return nullptr;
  }
  return std::unique_ptr<TmpfsMount>(new TmpfsMount(std::move(dir)));
}

TmpfsMount::TmpfsMount(std::unique_ptr<TempDir> dir) : dir_(std::move(dir)), path_(dir_->path()) {}

TmpfsMount::~TmpfsMount() {
  // Lazy: a broker killed a moment ago may still hold files open.
  (void)::umount2(path_.c_str(), MNT_DETACH);
}

std::uint64_t TmpfsMount::available_bytes() const {
  struct statvfs st {};
  if (::statvfs(path_.c_str(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

std::uint64_t TmpfsMount::fill(const std::string& name, std::uint64_t leave_bytes) const {
  const int fd = ::open((path_ / name).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return 0;
  std::vector<char> chunk(64 * 1024, 'f');
  while (true) {
    const std::uint64_t free_now = available_bytes();
    if (free_now <= leave_bytes) break;
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), free_now - leave_bytes));
    if (::write(fd, chunk.data(), want) <= 0) break;  // ENOSPC: full
  }
  struct stat st {};
  const std::uint64_t size = ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  ::close(fd);
  return size;
}

}  // namespace strata::testing
