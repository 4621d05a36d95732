// Writes a seed corpus for record_batch_fuzz: a few valid batches (every
// codec, null and empty fields, headers, several batches back to back) into
// the directory named on the command line.

#include <cstdio>
#include <string>
#include <vector>

#include "common/compression.h"
#include "common/record_batch_builder.h"

namespace {

using namespace strata;

Buffer build(Compression codec, int records, bool with_headers) {
  RecordBatchOptions options;
  options.compression = codec;
  options.base_offset = Offset(100);
  options.producer_id = ProducerId(7);
  options.producer_epoch = 0;
  options.base_sequence = 0;
  RecordBatchBuilder builder(options);
  for (int i = 0; i < records; ++i) {
    std::vector<RecordHeader> headers;
    if (with_headers) headers.push_back({"h" + std::to_string(i), i % 2 ? std::nullopt : std::optional(to_buffer("v"))});
    const std::string value = "value-" + std::to_string(i);
    std::optional<ByteSpan> key;
    if (i % 3 != 0) key = as_bytes("key");
    STRATA_CHECK(builder.append(1000 + i, key, as_bytes(value), headers).ok(), "append");
  }
  Result<Buffer> batch = builder.build();
  STRATA_CHECK(batch.ok(), "build");
  return std::move(batch).value();
}

bool write_file(const std::string& path, const Buffer& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const Compression codecs[] = {Compression::none, Compression::gzip, Compression::snappy,
                                Compression::lz4, Compression::zstd};
  Buffer several;
  for (Compression codec : codecs) {
    const Buffer batch = build(codec, 3, true);
    append(several, batch);
    if (!write_file(dir + "/" + to_string(codec) + ".batch", batch)) return 1;
    if (!write_file(dir + "/" + to_string(codec) + "-one.batch", build(codec, 1, false))) return 1;
  }
  if (!write_file(dir + "/several.batches", several)) return 1;
  return 0;
}
