#include "common/compression.h"

#include <snappy.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "common/endian.h"

using namespace strata;

namespace {

constexpr Compression kCodecs[] = {Compression::gzip, Compression::snappy, Compression::lz4,
                                   Compression::zstd};
constexpr std::size_t kMiB = 1024 * 1024;

// Text-like bytes that compress well, mixed with random runs that do not.
Buffer sample_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  Buffer out;
  out.reserve(n);
  const std::string words = "orders payments clicks partition leader epoch offset ";
  while (out.size() < n) {
    if (rng() % 4 == 0) {
      for (int i = 0; i < 64 && out.size() < n; ++i) out.push_back(static_cast<std::byte>(rng()));
    } else {
      std::size_t start = rng() % words.size();
      for (std::size_t i = start; i < words.size() && out.size() < n; ++i) {
        out.push_back(static_cast<std::byte>(words[i]));
      }
    }
  }
  return out;
}

Buffer compressed(Compression codec, ByteSpan input) {
  Buffer out;
  REQUIRE(compress(codec, input, out).ok());
  return out;
}

Buffer bytes_of(std::initializer_list<int> values) {
  Buffer out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

}  // namespace

TEST_CASE("every codec round trips empty, small and large inputs", "[common][compression]") {
  for (Compression codec : kCodecs) {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{100}, std::size_t{70000},
                          std::size_t{3 * kMiB}}) {
      INFO(to_string(codec) << " " << n << " bytes");
      const Buffer input = sample_bytes(n, static_cast<unsigned>(n));
      const Buffer packed = compressed(codec, input);
      auto unpacked = decompress(codec, packed, 4 * kMiB);
      REQUIRE(unpacked.ok());
      REQUIRE(*unpacked == input);
    }
  }
}

TEST_CASE("compress appends to what the buffer already holds", "[common][compression]") {
  for (Compression codec : kCodecs) {
    Buffer out = bytes_of({1, 2, 3});
    const Buffer input = sample_bytes(5000, 1);
    REQUIRE(compress(codec, input, out).ok());
    CHECK(out[0] == std::byte{1});
    auto unpacked = decompress(codec, ByteSpan(out).subspan(3), kMiB);
    REQUIRE(unpacked.ok());
    CHECK(*unpacked == input);
  }
}

TEST_CASE("compressed output uses the framings Kafka clients expect", "[common][compression]") {
  const Buffer input = sample_bytes(100000, 2);
  SECTION("gzip writes a gzip member") {
    Buffer out = compressed(Compression::gzip, input);
    CHECK(out[0] == std::byte{0x1F});
    CHECK(out[1] == std::byte{0x8B});
  }
  SECTION("snappy writes xerial framing with 32 KiB blocks") {
    Buffer out = compressed(Compression::snappy, input);
    REQUIRE(out.size() > 16);
    CHECK(Buffer(out.begin(), out.begin() + 8) == bytes_of({0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0}));
    CHECK(load_be<std::int32_t>(out.data() + 8) == 1);
    CHECK(load_be<std::int32_t>(out.data() + 12) == 1);
    // Walk the blocks: each is a big-endian length and a raw snappy block.
    std::size_t pos = 16;
    std::size_t blocks = 0;
    while (pos < out.size()) {
      const auto len = load_be<std::uint32_t>(out.data() + pos);
      std::size_t raw = 0;
      REQUIRE(snappy::GetUncompressedLength(reinterpret_cast<const char*>(out.data() + pos + 4),
                                            len, &raw));
      CHECK(raw <= 32 * 1024);
      pos += 4 + len;
      ++blocks;
    }
    CHECK(pos == out.size());
    CHECK(blocks == (input.size() + 32 * 1024 - 1) / (32 * 1024));
  }
  SECTION("lz4 writes an LZ4 frame") {
    Buffer out = compressed(Compression::lz4, input);
    CHECK(Buffer(out.begin(), out.begin() + 4) == bytes_of({0x04, 0x22, 0x4D, 0x18}));
  }
  SECTION("zstd writes a zstd frame") {
    Buffer out = compressed(Compression::zstd, input);
    CHECK(Buffer(out.begin(), out.begin() + 4) == bytes_of({0x28, 0xB5, 0x2F, 0xFD}));
  }
}

TEST_CASE("snappy decodes a raw unframed block as librdkafka sends it", "[common][compression]") {
  const Buffer input = sample_bytes(200000, 3);
  std::string raw;
  snappy::Compress(reinterpret_cast<const char*>(input.data()), input.size(), &raw);
  auto unpacked = decompress(Compression::snappy, as_bytes(raw), kMiB);
  REQUIRE(unpacked.ok());
  CHECK(*unpacked == input);
}

TEST_CASE("snappy decodes concatenated xerial streams", "[common][compression]") {
  const Buffer a = sample_bytes(40000, 4);
  const Buffer b = sample_bytes(1000, 5);
  Buffer both = compressed(Compression::snappy, a);
  append(both, compressed(Compression::snappy, b));
  auto unpacked = decompress(Compression::snappy, both, kMiB);
  REQUIRE(unpacked.ok());
  Buffer expected = a;
  append(expected, b);
  CHECK(*unpacked == expected);
}

TEST_CASE("zstd decodes a streamed frame without a content size", "[common][compression]") {
  // zstd-jni's streaming output, as Kafka's Java client writes it, omits the size.
  const Buffer input = sample_bytes(300000, 6);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
  Buffer out(ZSTD_compressBound(input.size()));
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  ZSTD_outBuffer dst{out.data(), out.size(), 0};
  std::size_t rc = 0;
  int turns = 0;
  do {
    rc = ZSTD_compressStream2(cctx, &dst, &in, ZSTD_e_end);
    REQUIRE_FALSE(ZSTD_isError(rc));
  } while (rc != 0 && ++turns < 100);
  ZSTD_freeCCtx(cctx);
  out.resize(dst.pos);
  CHECK(ZSTD_getFrameContentSize(out.data(), out.size()) == ZSTD_CONTENTSIZE_UNKNOWN);
  auto unpacked = decompress(Compression::zstd, out, kMiB);
  REQUIRE(unpacked.ok());
  CHECK(*unpacked == input);
}

TEST_CASE("decompression refuses output beyond its bound", "[common][compression][slow]") {
  // 100 MiB of zeros packs into a few hundred KiB: a decompression bomb.
  const Buffer zeros(100 * kMiB);
  for (Compression codec : kCodecs) {
    INFO(to_string(codec));
    const Buffer bomb = compressed(codec, zeros);
    REQUIRE(bomb.size() < 10 * kMiB);
    CHECK(decompress(codec, bomb, kMiB).status() == ErrorCode::too_large);
  }
}

TEST_CASE("decompression accepts output of exactly the bound and not a byte more",
          "[common][compression]") {
  const Buffer input = sample_bytes(50000, 7);
  for (Compression codec : kCodecs) {
    INFO(to_string(codec));
    const Buffer packed = compressed(codec, input);
    CHECK(decompress(codec, packed, input.size()).ok());
    CHECK(decompress(codec, packed, input.size() - 1).status() == ErrorCode::too_large);
  }
  CHECK(decompress(Compression::none, input, input.size()).ok());
  CHECK(decompress(Compression::none, input, input.size() - 1).status() == ErrorCode::too_large);
}

TEST_CASE("garbage input is corruption for every codec", "[common][compression]") {
  std::mt19937 rng(8);
  for (Compression codec : kCodecs) {
    INFO(to_string(codec));
    CHECK(decompress(codec, ByteSpan{}, kMiB).status() == ErrorCode::corruption);
    for (int trial = 0; trial < 50; ++trial) {
      Buffer garbage(1 + rng() % 300);
      for (auto& b : garbage) b = static_cast<std::byte>(rng());
      auto r = decompress(codec, garbage, kMiB);
      // Random bytes may happen to parse as a raw snappy block; never as the others.
      if (codec != Compression::snappy) REQUIRE_FALSE(r.ok());
      if (!r.ok()) REQUIRE((r.status() == ErrorCode::corruption || r.status() == ErrorCode::too_large));
    }
  }
}

TEST_CASE("a truncated stream is corruption for every codec", "[common][compression]") {
  const Buffer input = sample_bytes(80000, 9);
  for (Compression codec : kCodecs) {
    INFO(to_string(codec));
    const Buffer packed = compressed(codec, input);
    for (std::size_t n = 0; n < packed.size(); n += (n < 64 ? 1 : 97)) {
      INFO("cut at " << n << " of " << packed.size());
      auto r = decompress(codec, ByteSpan(packed).first(n), kMiB);
      if (r.ok()) {
        // xerial framing has no end marker: a cut between blocks is a shorter
        // valid stream. The record decoder catches the missing records.
        REQUIRE(codec == Compression::snappy);
        REQUIRE(r->size() < input.size());
        REQUIRE(std::equal(r->begin(), r->end(), input.begin()));
      } else {
        REQUIRE(r.status() == ErrorCode::corruption);
      }
    }
  }
}

TEST_CASE("a flipped byte in a stream never crashes and checksummed codecs catch it",
          "[common][compression]") {
  const Buffer input = sample_bytes(20000, 10);
  for (Compression codec : kCodecs) {
    INFO(to_string(codec));
    const Buffer packed = compressed(codec, input);
    for (std::size_t i = 0; i < packed.size(); i += 7) {
      Buffer damaged = packed;
      damaged[i] ^= std::byte{0x5A};
      auto r = decompress(codec, damaged, kMiB);
      // gzip carries a CRC32 of the output: damage past its 10-byte header
      // (whose mtime and OS bytes nobody checks) always shows.
      if (codec == Compression::gzip && i >= 10) REQUIRE_FALSE(r.ok());
      if (r.ok()) REQUIRE(r->size() <= kMiB);
    }
  }
}
