#pragma once

// The stored form of metadata records, shared by both MetadataStore
// implementations so a record reads the same from RocksDB and from etcd:
// compact JSON objects (docs/formats/metadata.md). Pure functions.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "replication/metadata/metadata_store.h"

namespace strata::replication {

// {"name":..,"topic_id":..,"partitions":N,"internal":bool,"configs":{..}}
std::string encode_topic_record(const TopicRecord& topic);
// Errors: corruption naming `subject` (not JSON, a field missing or of the
// wrong type, a partition count below 1).
Result<TopicRecord> decode_topic_record(std::string_view text, std::string_view subject);

// {"replicas":[..],"leader":N,"leader_epoch":N,"isr":[..]}
std::string encode_partition_state(const PartitionState& state);
// Errors: corruption naming `subject`.
Result<PartitionState> decode_partition_state(std::string_view text, std::string_view subject);

// A counter (producer-id next, revision) as decimal text.
std::string encode_counter(std::int64_t value);
// Errors: corruption naming `subject` (not a non-negative decimal number).
Result<std::int64_t> decode_counter(std::string_view text, std::string_view subject);

}  // namespace strata::replication
