#include "tools/dump/read_only_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace strata::dump {

Result<ReadOnlyFile> ReadOnlyFile::open(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return not_found_error(path.string() + ": no such file");
    return errno_error(path.string() + ": open", err);
  }
  return ReadOnlyFile(path, fd);
}

ReadOnlyFile::ReadOnlyFile(ReadOnlyFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

ReadOnlyFile::~ReadOnlyFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::uint64_t> ReadOnlyFile::size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return errno_error(path_.string() + ": fstat", errno);
  return static_cast<std::uint64_t>(st.st_size);
}

Status ReadOnlyFile::read_at(std::uint64_t position, Buffer& out) const {
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done,
                        static_cast<off_t>(position + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error(path_.string() + ": pread", errno);
    if (n == 0) return io_error(path_.string() + ": file ends before byte " +
                                std::to_string(position + out.size()));
    done += static_cast<std::size_t>(n);
  }
  return Status();
}

}  // namespace strata::dump
