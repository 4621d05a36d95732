#include "common/compression.h"

#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <limits>
#include <string>

#include "common/endian.h"

namespace strata {

namespace {

// Kafka batches are at most 2 GiB; every codec API below takes int-sized lengths.
constexpr std::size_t kMaxCodecInput = std::numeric_limits<std::int32_t>::max();

// xerial snappy-java stream framing (SnappyCodec header), as Kafka's Java
// client writes it: magic, int32 version, int32 compatible version, then
// blocks of (int32 compressed length, raw snappy block), all big-endian.
constexpr std::array<unsigned char, 8> kXerialMagic = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr std::size_t kXerialHeaderSize = 16;
constexpr std::size_t kXerialBlockSize = 32 * 1024;  // snappy-java's default

// Kafka's default zstd level; gzip and lz4 use their libraries' defaults.
constexpr int kZstdLevel = 3;

// An output buffer that grows by doubling up to one byte past `limit`, so a
// decoder that fills it has proven its output exceeds the limit without us
// ever allocating more than about twice what it produced.
class BoundedOutput {
 public:
  BoundedOutput(std::size_t limit, std::size_t input_size)
      : limit_(limit), cap_(limit == SIZE_MAX ? limit : limit + 1) {
    std::size_t hint = input_size <= SIZE_MAX / 4 ? input_size * 4 : SIZE_MAX;
    buf_.resize(std::min(cap_, std::max<std::size_t>(hint, 4096)));
  }

  // Ensures free_size() > 0 unless the cap is reached.
  void make_room() {
    if (used_ < buf_.size() || buf_.size() == cap_) return;
    std::size_t grown = buf_.size() <= cap_ / 2 ? buf_.size() * 2 : cap_;
    buf_.resize(grown);
  }
  std::byte* free_begin() { return buf_.data() + used_; }
  std::size_t free_size() const { return buf_.size() - used_; }
  void produced(std::size_t n) { used_ += n; }
  std::size_t size() const { return used_; }
  bool over_limit() const { return used_ > limit_; }
  Buffer finish() && {
    buf_.resize(used_);
    return std::move(buf_);
  }

 private:
  std::size_t limit_;
  std::size_t cap_;
  std::size_t used_ = 0;
  Buffer buf_;
};

Status too_large_output(Compression codec, std::size_t limit) {
  return too_large_error(std::string(to_string(codec)) + " output exceeds the limit of " +
                         std::to_string(limit) + " bytes");
}

Status corrupt(Compression codec, const std::string& why) {
  return corruption_error(std::string(to_string(codec)) + " stream corrupt: " + why);
}

unsigned int clamp_uint(std::size_t n) {
  return static_cast<unsigned int>(std::min<std::size_t>(n, UINT_MAX));
}

// ---- gzip ------------------------------------------------------------------

Status gzip_compress(ByteSpan input, Buffer& out) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return internal_error("gzip: deflateInit2 failed");
  }
  const std::size_t start = out.size();
  const uLong bound = deflateBound(&zs, static_cast<uLong>(input.size()));
  out.resize(start + bound);
  zs.next_in = const_cast<Bytef*>(reinterpret_cast<const Bytef*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data() + start);
  zs.avail_out = static_cast<uInt>(bound);
  const int rc = deflate(&zs, Z_FINISH);
  const std::size_t written = bound - zs.avail_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    out.resize(start);
    return internal_error("gzip: deflate failed with code " + std::to_string(rc));
  }
  out.resize(start + written);
  return Status();
}

Result<Buffer> gzip_decompress(ByteSpan input, std::size_t limit) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return internal_error("gzip: inflateInit2 failed");
  struct Guard {
    z_stream* zs;
    ~Guard() { inflateEnd(zs); }
  } guard{&zs};
  zs.next_in = const_cast<Bytef*>(reinterpret_cast<const Bytef*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  BoundedOutput out(limit, input.size());
  for (;;) {
    out.make_room();
    const unsigned int room = clamp_uint(out.free_size());
    zs.next_out = reinterpret_cast<Bytef*>(out.free_begin());
    zs.avail_out = room;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.produced(room - zs.avail_out);
    if (out.over_limit()) return too_large_output(Compression::gzip, limit);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      // Concatenated gzip members are one valid gzip stream.
      if (inflateReset(&zs) != Z_OK) return internal_error("gzip: inflateReset failed");
    } else if (rc == Z_BUF_ERROR) {
      // No progress possible: either the input ended early or the output
      // was full (then make_room() grows it on the next turn).
      if (zs.avail_in == 0 || zs.avail_out > 0) return corrupt(Compression::gzip, "truncated");
    } else if (rc == Z_MEM_ERROR) {
      return internal_error("gzip: out of memory");
    } else if (rc != Z_OK) {
      return corrupt(Compression::gzip, zs.msg != nullptr ? zs.msg : "code " + std::to_string(rc));
    }
  }
  return std::move(out).finish();
}

// ---- snappy ----------------------------------------------------------------

bool has_xerial_magic(ByteSpan input) {
  return input.size() >= kXerialHeaderSize &&
         std::memcmp(input.data(), kXerialMagic.data(), kXerialMagic.size()) == 0;
}

Status snappy_compress(ByteSpan input, Buffer& out) {
  const std::size_t header_at = out.size();
  out.resize(header_at + kXerialHeaderSize);
  std::memcpy(out.data() + header_at, kXerialMagic.data(), kXerialMagic.size());
  store_be<std::int32_t>(out.data() + header_at + 8, 1);   // version
  store_be<std::int32_t>(out.data() + header_at + 12, 1);  // minimum compatible version
  for (std::size_t pos = 0; pos < input.size(); pos += kXerialBlockSize) {
    const std::size_t n = std::min(kXerialBlockSize, input.size() - pos);
    const std::size_t block_at = out.size();
    out.resize(block_at + 4 + snappy::MaxCompressedLength(n));
    std::size_t written = 0;
    snappy::RawCompress(reinterpret_cast<const char*>(input.data() + pos), n,
                        reinterpret_cast<char*>(out.data() + block_at + 4), &written);
    store_be<std::int32_t>(out.data() + block_at, static_cast<std::int32_t>(written));
    out.resize(block_at + 4 + written);
  }
  return Status();
}

// Appends the raw snappy block `block` to `out`, keeping out.size() <= limit.
Status snappy_raw_append(ByteSpan block, std::size_t limit, Buffer& out) {
  const char* src = reinterpret_cast<const char*>(block.data());
  std::size_t n = 0;
  if (!snappy::GetUncompressedLength(src, block.size(), &n)) {
    return corrupt(Compression::snappy, "bad block length");
  }
  if (n > limit - out.size()) return too_large_output(Compression::snappy, limit);
  const std::size_t at = out.size();
  out.resize(at + n);
  if (!snappy::RawUncompress(src, block.size(), reinterpret_cast<char*>(out.data() + at))) {
    return corrupt(Compression::snappy, "bad block");
  }
  return Status();
}

Result<Buffer> snappy_decompress(ByteSpan input, std::size_t limit) {
  Buffer out;
  if (!has_xerial_magic(input)) {
    // librdkafka sends one raw snappy block with no framing.
    STRATA_TRY(snappy_raw_append(input, limit, out));
    return out;
  }
  std::size_t pos = 0;
  while (pos < input.size()) {
    // snappy-java accepts concatenated streams, each with its own header.
    if (has_xerial_magic(input.subspan(pos))) {
      pos += kXerialHeaderSize;
      continue;
    }
    if (input.size() - pos < 4) return corrupt(Compression::snappy, "truncated block length");
    const std::uint32_t len = load_be<std::uint32_t>(input.data() + pos);
    pos += 4;
    if (len > input.size() - pos) {
      return corrupt(Compression::snappy, "block of " + std::to_string(len) + " bytes truncated");
    }
    STRATA_TRY(snappy_raw_append(input.subspan(pos, len), limit, out));
    pos += len;
  }
  return out;
}

// ---- lz4 -------------------------------------------------------------------

Status lz4_compress(ByteSpan input, Buffer& out) {
  // Independent 64 KiB blocks: what Kafka's Java client writes and reads.
  LZ4F_preferences_t prefs;
  std::memset(&prefs, 0, sizeof(prefs));
  prefs.frameInfo.blockSizeID = LZ4F_max64KB;
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  const std::size_t start = out.size();
  const std::size_t bound = LZ4F_compressFrameBound(input.size(), &prefs);
  out.resize(start + bound);
  const std::size_t rc =
      LZ4F_compressFrame(out.data() + start, bound, input.data(), input.size(), &prefs);
  if (LZ4F_isError(rc)) {
    out.resize(start);
    return internal_error(std::string("lz4: ") + LZ4F_getErrorName(rc));
  }
  out.resize(start + rc);
  return Status();
}

Result<Buffer> lz4_decompress(ByteSpan input, std::size_t limit) {
  LZ4F_dctx* dctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) {
    return internal_error("lz4: cannot create a decompression context");
  }
  struct Guard {
    LZ4F_dctx* dctx;
    ~Guard() { LZ4F_freeDecompressionContext(dctx); }
  } guard{dctx};
  BoundedOutput out(limit, input.size());
  std::size_t pos = 0;
  for (;;) {
    out.make_room();
    std::size_t room = out.free_size();
    std::size_t dst_size = room;
    std::size_t src_size = input.size() - pos;
    const std::size_t hint =
        LZ4F_decompress(dctx, out.free_begin(), &dst_size, input.data() + pos, &src_size, nullptr);
    if (LZ4F_isError(hint)) return corrupt(Compression::lz4, LZ4F_getErrorName(hint));
    pos += src_size;
    out.produced(dst_size);
    if (out.over_limit()) return too_large_output(Compression::lz4, limit);
    const bool input_done = pos == input.size();
    if (hint == 0 && input_done) break;  // the last frame ended with the input
    // A frame still open, input used up and output not full: more was expected.
    if (input_done && dst_size < room) return corrupt(Compression::lz4, "truncated");
    if (src_size == 0 && dst_size == 0 && room > 0) return corrupt(Compression::lz4, "no progress");
  }
  return std::move(out).finish();
}

// ---- zstd ------------------------------------------------------------------

Status zstd_compress(ByteSpan input, Buffer& out) {
  const std::size_t start = out.size();
  const std::size_t bound = ZSTD_compressBound(input.size());
  out.resize(start + bound);
  const std::size_t rc =
      ZSTD_compress(out.data() + start, bound, input.data(), input.size(), kZstdLevel);
  if (ZSTD_isError(rc)) {
    out.resize(start);
    return internal_error(std::string("zstd: ") + ZSTD_getErrorName(rc));
  }
  out.resize(start + rc);
  return Status();
}

// The largest window a frame may ask for: enough for any stream a Kafka
// client writes at normal levels (8 MiB), and never far beyond the output
// limit, so a hostile header cannot make us reserve 2 GiB.
int zstd_window_log_max(std::size_t limit) {
  constexpr int kZstdDefaultWindowLogLimit = 27;  // ZSTD_WINDOWLOG_LIMIT_DEFAULT
  int log = 23;
  while (log < kZstdDefaultWindowLogLimit && (std::size_t{1} << log) < limit) ++log;
  return log;
}

Result<Buffer> zstd_decompress(ByteSpan input, std::size_t limit) {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  if (dctx == nullptr) return internal_error("zstd: cannot create a decompression context");
  struct Guard {
    ZSTD_DCtx* dctx;
    ~Guard() { ZSTD_freeDCtx(dctx); }
  } guard{dctx};
  ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, zstd_window_log_max(limit));
  // Streaming, because zstd-jni may omit the content size from the frame.
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  BoundedOutput out(limit, input.size());
  for (;;) {
    out.make_room();
    const std::size_t room = out.free_size();
    ZSTD_outBuffer dst{out.free_begin(), room, 0};
    const std::size_t before = in.pos;
    const std::size_t rc = ZSTD_decompressStream(dctx, &dst, &in);
    if (ZSTD_isError(rc)) return corrupt(Compression::zstd, ZSTD_getErrorName(rc));
    out.produced(dst.pos);
    if (out.over_limit()) return too_large_output(Compression::zstd, limit);
    const bool input_done = in.pos == in.size;
    if (rc == 0 && input_done) break;  // frame complete and flushed
    if (input_done && dst.pos < room) return corrupt(Compression::zstd, "truncated");
    if (in.pos == before && dst.pos == 0 && room > 0) return corrupt(Compression::zstd, "no progress");
  }
  return std::move(out).finish();
}

}  // namespace

const char* to_string(Compression codec) {
  switch (codec) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::snappy: return "snappy";
    case Compression::lz4: return "lz4";
    case Compression::zstd: return "zstd";
  }
  return "unknown";
}

Status compress(Compression codec, ByteSpan input, Buffer& out) {
  if (input.size() > kMaxCodecInput) {
    return too_large_error("compress: input of " + std::to_string(input.size()) + " bytes");
  }
  switch (codec) {
    case Compression::none: append(out, input); return Status();
    case Compression::gzip: return gzip_compress(input, out);
    case Compression::snappy: return snappy_compress(input, out);
    case Compression::lz4: return lz4_compress(input, out);
    case Compression::zstd: return zstd_compress(input, out);
  }
  return unsupported_error("compress: unknown codec " + std::to_string(static_cast<int>(codec)));
}

Result<Buffer> decompress(Compression codec, ByteSpan input, std::size_t max_output_bytes) {
  if (input.size() > kMaxCodecInput) {
    return too_large_error("decompress: input of " + std::to_string(input.size()) + " bytes");
  }
  switch (codec) {
    case Compression::none:
      if (input.size() > max_output_bytes) return too_large_output(codec, max_output_bytes);
      return Buffer(input.begin(), input.end());
    case Compression::gzip: return gzip_decompress(input, max_output_bytes);
    case Compression::snappy: return snappy_decompress(input, max_output_bytes);
    case Compression::lz4: return lz4_decompress(input, max_output_bytes);
    case Compression::zstd: return zstd_decompress(input, max_output_bytes);
  }
  return unsupported_error("decompress: unknown codec " + std::to_string(static_cast<int>(codec)));
}

}  // namespace strata
