#include "storage/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace strata::storage {

namespace {

Status path_error(std::string_view what, const std::filesystem::path& path, int errnum) {
  return errno_error(std::string(what) + " " + path.string(), errnum);
}

}  // namespace

Result<File> File::open(const std::filesystem::path& path, Mode mode) {
  int flags = O_RDWR | O_CLOEXEC;
  if (mode == Mode::create_new) flags |= O_CREAT | O_EXCL;
  if (mode == Mode::create_or_open) flags |= O_CREAT;
  int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return not_found_error("no such file " + path.string());
    if (err == EEXIST) return already_exists_error("file exists " + path.string());
    return path_error("open", path, err);
  }
  return File(fd, path);
}

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

File::File(File&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

Result<std::uint64_t> File::size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return path_error("fstat", path_, errno);
  return static_cast<std::uint64_t>(st.st_size);
}

Result<std::size_t> File::read_at(std::uint64_t pos, std::span<std::byte> out) const {
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(pos + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return path_error("pread", path_, errno);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

Status File::read_exact_at(std::uint64_t pos, std::span<std::byte> out) const {
  STRATA_TRY_ASSIGN(std::size_t n, read_at(pos, out));
  if (n != out.size()) {
    return corruption_error(path_.string() + ": short read at position " + std::to_string(pos) +
                            ": " + std::to_string(n) + " of " + std::to_string(out.size()) +
                            " bytes");
  }
  return Status::ok_status();
}

Result<Buffer> File::read_all_entries(std::size_t entry_size) const {
  STRATA_TRY_ASSIGN(std::uint64_t file_size, size());
  if (file_size % entry_size != 0) {
    return corruption_error(path_.string() + ": size " + std::to_string(file_size) +
                            " is not a multiple of " + std::to_string(entry_size));
  }
  Buffer buf(file_size);
  STRATA_TRY(read_exact_at(0, buf));
  return buf;
}

Status File::write_at(std::uint64_t pos, ByteSpan data) {
  ByteSpan parts[1] = {data};
  return writev_at(pos, parts);
}

Status File::writev_at(std::uint64_t pos, std::span<const ByteSpan> parts) {
  std::vector<iovec> iov;
  iov.reserve(parts.size());
  for (ByteSpan p : parts) {
    if (!p.empty()) iov.push_back({const_cast<std::byte*>(p.data()), p.size()});
  }
  std::size_t first = 0;
  while (first < iov.size()) {
    int count = static_cast<int>(std::min<std::size_t>(iov.size() - first, IOV_MAX));
    ssize_t n = ::pwritev(fd_, iov.data() + first, count, static_cast<off_t>(pos));
    if (n < 0) {
      if (errno == EINTR) continue;
      return path_error("pwritev", path_, errno);
    }
    pos += static_cast<std::uint64_t>(n);
    auto left = static_cast<std::size_t>(n);
    // Skip the parts written completely, then trim a partly written one.
    while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
    if (left > 0) {
      iov[first].iov_base = static_cast<std::byte*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
  return Status::ok_status();
}

Status File::truncate(std::uint64_t size) {
  while (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
    if (errno != EINTR) return path_error("ftruncate", path_, errno);
  }
  return Status::ok_status();
}

Status File::datasync() {
  if (::fdatasync(fd_) != 0) return path_error("fdatasync", path_, errno);
  return Status::ok_status();
}

Status File::sync() {
  if (::fsync(fd_) != 0) return path_error("fsync", path_, errno);
  return Status::ok_status();
}

Status File::close() {
  if (fd_ < 0) return Status::ok_status();
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return path_error("close", path_, errno);
  return Status::ok_status();
}

Status sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return path_error("open directory", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return path_error("fsync directory", dir, err);
  return Status::ok_status();
}

Result<std::uint64_t> available_bytes(const std::filesystem::path& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0) return path_error("statvfs", path, errno);
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

Status remove_file(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return path_error("unlink", path, errno);
  return Status::ok_status();
}

Status replace_file_durably(const std::filesystem::path& path, ByteSpan bytes) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  STRATA_TRY(remove_file(tmp));
  STRATA_TRY_ASSIGN(File file, File::open(tmp, File::Mode::create_new));
  STRATA_TRY(file.write_at(0, bytes));
  STRATA_TRY(file.sync());
  STRATA_TRY(file.close());
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return io_error("rename " + tmp.string() + ": " + ec.message());
  return sync_directory(path.parent_path());
}

}  // namespace strata::storage
