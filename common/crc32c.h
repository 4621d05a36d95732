#pragma once

#include <cstdint>

#include "common/bytes.h"

namespace strata {

// CRC32C (Castagnoli), as Kafka's RecordBatch v2 uses it. Uses the SSE4.2
// instruction when the CPU has it, a table-driven loop otherwise; both give
// crc32c("123456789") == 0xE3069283.
std::uint32_t crc32c(ByteSpan data);

// Continues a CRC: crc32c_extend(crc32c(a), b) == crc32c(a + b).
std::uint32_t crc32c_extend(std::uint32_t crc, ByteSpan data);

// The two implementations, exposed so tests can check each one.
std::uint32_t crc32c_portable(std::uint32_t crc, ByteSpan data);
std::uint32_t crc32c_hardware(std::uint32_t crc, ByteSpan data);  // Requires: crc32c_has_hardware()
bool crc32c_has_hardware();

}  // namespace strata
