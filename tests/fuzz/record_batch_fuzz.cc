// libFuzzer target for the RecordBatch v2 codec: arbitrary bytes go through
// RecordBatchView::validate, read_records, the multi-batch iterator and each
// decompressor. Nothing may crash, read out of bounds, allocate without bound
// or hit undefined behaviour; a batch that decodes must re-encode to the same
// records. See tests/fuzz/README.md for running it.

#include <cstddef>
#include <cstdint>

#include "common/compression.h"
#include "common/endian.h"
#include "common/record_batch.h"
#include "common/record_batch_builder.h"
#include "common/record_batch_iterator.h"
#include "common/record_batch_reader.h"

namespace strata {
namespace {

constexpr std::size_t kMaxOutput = 1 << 20;
constexpr RecordReadOptions kReadOptions{.max_uncompressed_bytes = kMaxOutput};

// A decoded batch, built again without compression, must decode to the same
// keys, values, headers and timestamps.
void check_reencodes(const RecordBatchHeader& header, const std::vector<Record>& records) {
  if (records.empty() || header.has_log_append_time()) return;
  RecordBatchBuilder builder;
  for (const Record& r : records) STRATA_CHECK(builder.append(r).ok(), "re-append failed");
  Result<Buffer> batch = builder.build();
  STRATA_CHECK(batch.ok(), "re-build failed");
  Result<RecordBatchView> view = RecordBatchView::validate(*batch);
  STRATA_CHECK(view.ok(), "re-built batch does not validate");
  Result<std::vector<Record>> again = read_records(*view);
  STRATA_CHECK(again.ok() && again->size() == records.size(), "re-built batch does not decode");
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& a = records[i];
    const Record& b = (*again)[i];
    STRATA_CHECK(a.timestamp == b.timestamp && a.key == b.key && a.value == b.value &&
                     a.headers == b.headers,
                 "record changed in a round trip");
  }
}

void decode_one(ByteSpan bytes) {
  Result<RecordBatchView> view = RecordBatchView::validate(bytes);
  if (!view.ok()) return;
  Result<std::vector<Record>> records = read_records(*view, kReadOptions);
  if (records.ok()) check_reencodes(view->header(), *records);
}

void walk(ByteSpan bytes) {
  RecordBatchIterator it(bytes);
  for (int i = 0; i < 1000; ++i) {
    Result<std::optional<RecordBatchView>> batch = it.next();
    if (!batch.ok() || !batch->has_value()) break;
    (void)read_records(**batch, kReadOptions);
  }
  STRATA_CHECK(it.consumed_bytes() <= bytes.size(), "iterator consumed past the end");
}

}  // namespace
}  // namespace strata

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace strata;
  const ByteSpan bytes(reinterpret_cast<const std::byte*>(data), size);

  // As given: almost always stopped by the CRC, so also...
  decode_one(bytes);
  walk(bytes);

  // ...with the CRC (and batch length) made right, so the fuzzer reaches the
  // record decoder and the decompressors behind it.
  if (size >= batch_layout::kHeaderSize) {
    Buffer fixed(bytes.begin(), bytes.end());
    store_be<std::int32_t>(fixed.data() + batch_layout::kBatchLength,
                           static_cast<std::int32_t>(fixed.size() - batch_layout::kLogOverhead));
    store_be<std::uint32_t>(fixed.data() + batch_layout::kCrc, compute_batch_crc(fixed));
    decode_one(fixed);
  }

  // Each decompressor on its own, the codec picked by the first byte.
  if (size >= 1) {
    const auto codec = static_cast<Compression>(1 + data[0] % 4);
    Result<Buffer> out = decompress(codec, bytes.subspan(1), kMaxOutput);
    STRATA_CHECK(!out.ok() || out->size() <= kMaxOutput, "decompress passed its bound");
  }
  return 0;
}
