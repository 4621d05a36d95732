#include "storage/checkpoint_file.h"

#include <array>

#include "common/crc32c.h"
#include "common/endian.h"
#include "storage/file.h"

namespace strata::storage {

namespace {

constexpr std::uint32_t kMagic = 0x53434B50;  // "SCKP"
constexpr std::uint16_t kVersion = 1;
constexpr std::size_t kCrcCovered = 16;

}  // namespace

Status CheckpointFile::write(const std::filesystem::path& path, std::int64_t value) {
  std::array<std::byte, kSize> buf{};
  store_be<std::uint32_t>(buf.data(), kMagic);
  store_be<std::uint16_t>(buf.data() + 4, kVersion);
  store_be<std::uint16_t>(buf.data() + 6, 0);
  store_be<std::int64_t>(buf.data() + 8, value);
  store_be<std::uint32_t>(buf.data() + 16, crc32c(ByteSpan(buf.data(), kCrcCovered)));

  return replace_file_durably(path, buf);
}

Result<std::optional<std::int64_t>> CheckpointFile::read(const std::filesystem::path& path) {
  auto opened = File::open(path, File::Mode::read_write);
  if (!opened.ok()) {
    if (opened.status().code() == ErrorCode::not_found) return std::optional<std::int64_t>();
    return opened.status();
  }
  File file = std::move(opened).value();
  std::array<std::byte, kSize + 1> buf{};
  STRATA_TRY_ASSIGN(std::size_t n, file.read_at(0, buf));
  if (n != kSize) {
    return corruption_error(path.string() + ": checkpoint has " + std::to_string(n) + " bytes");
  }
  if (load_be<std::uint32_t>(buf.data()) != kMagic ||
      load_be<std::uint16_t>(buf.data() + 4) != kVersion ||
      load_be<std::uint32_t>(buf.data() + 16) != crc32c(ByteSpan(buf.data(), kCrcCovered))) {
    return corruption_error(path.string() + ": checkpoint magic, version or crc mismatch");
  }
  return std::optional<std::int64_t>(load_be<std::int64_t>(buf.data() + 8));
}

}  // namespace strata::storage
