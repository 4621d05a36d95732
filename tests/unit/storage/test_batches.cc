#include "tests/unit/storage/test_batches.h"

#include <fstream>
#include <stdexcept>

#include "common/endian.h"
#include "common/record_batch.h"

namespace strata::storage::testing {

namespace L = batch_layout;

Buffer payload_for(std::uint64_t seed, std::size_t bytes) {
  Buffer out(bytes);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (std::size_t i = 0; i < bytes; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<std::byte>(x & 0xff);
  }
  return out;
}

Buffer make_batch(std::int32_t records, std::size_t payload_bytes, std::int64_t max_timestamp,
                  std::uint64_t seed) {
  Buffer b(L::kHeaderSize + payload_bytes);
  std::byte* p = b.data();
  store_be<std::int64_t>(p + L::kBaseOffset, 0);
  store_be<std::int32_t>(p + L::kBatchLength, static_cast<std::int32_t>(b.size() - L::kLogOverhead));
  store_be<std::int32_t>(p + L::kPartitionLeaderEpoch, 0);
  store_be<std::int8_t>(p + L::kMagic, kMagicV2);
  store_be<std::int16_t>(p + L::kAttributes, 0);
  store_be<std::int32_t>(p + L::kLastOffsetDelta, records - 1);
  store_be<std::int64_t>(p + L::kBaseTimestamp, max_timestamp);
  store_be<std::int64_t>(p + L::kMaxTimestamp, max_timestamp);
  store_be<std::int64_t>(p + L::kProducerId, -1);
  store_be<std::int16_t>(p + L::kProducerEpoch, -1);
  store_be<std::int32_t>(p + L::kBaseSequence, -1);
  store_be<std::int32_t>(p + L::kRecordCount, records);
  Buffer payload = payload_for(seed, payload_bytes);
  std::copy(payload.begin(), payload.end(), b.begin() + L::kHeaderSize);
  store_be<std::uint32_t>(p + L::kCrc, compute_batch_crc(b));
  return b;
}

LogOptions small_log_options() {
  LogOptions o;
  o.segment_bytes = 1024;
  o.index_interval_bytes = 64;
  o.retention_ms = -1;
  return o;
}

std::vector<Buffer> append_batches(PartitionLog& log, int count, std::int64_t first_ts) {
  std::vector<Buffer> out;
  for (int i = 0; i < count; ++i) {
    Buffer b = make_batch(3, 100, first_ts + i, static_cast<std::uint64_t>(log.log_end_offset().value()));
    auto r = log.append(b);
    if (!r.ok()) throw std::runtime_error("append failed: " + r.status().to_string());
    out.push_back(std::move(b));
  }
  return out;
}

Buffer read_all(const PartitionLog& log, Offset from) {
  Buffer out;
  Offset at = from;
  for (int guard = 0; guard < 100000 && at < log.log_end_offset(); ++guard) {
    auto r = log.read(at, 1);
    if (!r.ok()) throw std::runtime_error("read failed: " + r.status().to_string());
    if (r->empty()) break;
    auto h = parse_batch_header(*r);
    at = h->next_offset();
    append(out, *r);
  }
  return out;
}

std::vector<Offset> base_offsets(ByteSpan batches) {
  std::vector<Offset> out;
  while (batches.size() >= L::kHeaderSize) {
    auto h = parse_batch_header(batches);
    if (!h.ok() || h->size_bytes() > batches.size()) throw std::runtime_error("bad batches");
    out.push_back(h->base_offset);
    batches = batches.subspan(h->size_bytes());
  }
  return out;
}

void truncate_file(const std::filesystem::path& file, std::uint64_t size) {
  std::filesystem::resize_file(file, size);
}

void corrupt_byte(const std::filesystem::path& file, std::uint64_t position) {
  Buffer b = read_file(file);
  b.at(position) ^= std::byte{0x5a};
  write_file(file, b);
}

std::uint64_t size_of_file(const std::filesystem::path& file) {
  return std::filesystem::file_size(file);
}

void write_file(const std::filesystem::path& file, ByteSpan bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Buffer read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return to_buffer(s);
}

}  // namespace strata::storage::testing
