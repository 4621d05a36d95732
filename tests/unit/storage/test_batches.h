#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/bytes.h"
#include "common/ids.h"
#include "storage/log_options.h"
#include "storage/partition_log.h"

namespace strata::storage::testing {

// A valid RecordBatch v2 of `records` offsets whose records section is
// `payload_bytes` arbitrary bytes derived from `seed` (storage never decodes
// records), with a correct CRC. Base offset 0 until the log assigns one.
Buffer make_batch(std::int32_t records, std::size_t payload_bytes, std::int64_t max_timestamp,
                  std::uint64_t seed);
// The deterministic payload make_batch puts after the header.
Buffer payload_for(std::uint64_t seed, std::size_t bytes);

// Options for small, fast test logs: tiny segments, index entry every 64 bytes.
LogOptions small_log_options();

// Appends `count` batches (3 records, 100 payload bytes each, timestamps
// 1000, 1001, ...); returns each batch as stored (offsets assigned).
std::vector<Buffer> append_batches(PartitionLog& log, int count, std::int64_t first_ts = 1000);

// Reads everything in [from, log end) batch by batch; the concatenated bytes.
Buffer read_all(const PartitionLog& log, Offset from);

// Splits concatenated batches into their base offsets.
std::vector<Offset> base_offsets(ByteSpan batches);

// File helpers.
void truncate_file(const std::filesystem::path& file, std::uint64_t size);
void corrupt_byte(const std::filesystem::path& file, std::uint64_t position);
std::uint64_t size_of_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, ByteSpan bytes);
Buffer read_file(const std::filesystem::path& file);

}  // namespace strata::storage::testing
