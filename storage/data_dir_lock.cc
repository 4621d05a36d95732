#include "storage/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace strata::storage {

namespace {

// The PID text a holder wrote, for the message; empty when unreadable.
std::string recorded_holder(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
  if (n <= 0) return "";
  std::string text(buf, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Result<std::unique_ptr<DataDirLock>> DataDirLock::acquire(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / kFileName;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return errno_error("open " + path.string(), errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string holder = recorded_holder(fd);
    ::close(fd);
    if (err != EWOULDBLOCK) return errno_error("lock " + path.string(), err);
    return Status(ErrorCode::unavailable,
                  "data dir " + dir.string() + " is in use by another process" +
                      (holder.empty() ? "" : " (pid " + holder + ")") + ": " + path.string() +
                      " is locked; stop it or choose another --data-dir");
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    ::close(fd);
    return errno_error("write " + path.string(), err);
  }
  return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() { ::close(fd_); }  // closing releases the flock

}  // namespace strata::storage
