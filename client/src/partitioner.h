#pragma once

// Kafka's default partitioner for keyed records: murmur2 of the key bytes.

#include <cstdint>

#include "common/bytes.h"

namespace strata::client {

// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2): the 32-bit
// MurmurHash2 variant with seed 0x9747b28c, reading little-endian words.
std::int32_t murmur2(ByteSpan data);

// Kafka's Utils.toPositive: clears the sign bit (not abs()).
constexpr std::int32_t to_positive(std::int32_t n) { return n & 0x7fffffff; }

// The partition Kafka's default partitioner gives a non-null key:
// toPositive(murmur2(key)) % partition_count. Requires: partition_count > 0.
std::int32_t partition_for_key(ByteSpan key, std::int32_t partition_count);

}  // namespace strata::client
