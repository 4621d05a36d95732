#include "broker/kafka/protocol/api_versions_table.h"

#include <array>
#include <string>

namespace strata::kafka {

namespace {

// Ranges from docs/kafka-protocol.md (KAFKA-NOTES §1, "Strata advertises");
// flexible-from versions from Kafka's message schemas.
constexpr std::array<ApiVersionRange, 24> kApis{{
    // Produce v0-2 stay advertised (librdkafka gates gzip/snappy/lz4 on
    // Produce v0, KAFKA-18659) but are refused: they carry magic 0/1 sets.
    {ApiKey::produce, "Produce", 0, 7, 3, 9},
    {ApiKey::fetch, "Fetch", 4, 11, 4, 12},
    {ApiKey::list_offsets, "ListOffsets", 1, 5, 1, 6},
    {ApiKey::metadata, "Metadata", 0, 9, 0, 9},
    {ApiKey::offset_commit, "OffsetCommit", 1, 7, 1, 8},
    {ApiKey::offset_fetch, "OffsetFetch", 1, 7, 1, 6},
    {ApiKey::find_coordinator, "FindCoordinator", 0, 2, 0, 3},
    {ApiKey::join_group, "JoinGroup", 0, 5, 0, 6},
    {ApiKey::heartbeat, "Heartbeat", 0, 3, 0, 4},
    {ApiKey::leave_group, "LeaveGroup", 0, 3, 0, 4},
    {ApiKey::sync_group, "SyncGroup", 0, 3, 0, 4},
    {ApiKey::describe_groups, "DescribeGroups", 0, 4, 0, 5},
    {ApiKey::list_groups, "ListGroups", 0, 4, 0, 3},
    // SASL: never flexible (KAFKA-9577), so the flexible-from lies beyond v1.
    {ApiKey::sasl_handshake, "SaslHandshake", 0, 1, 0, 32767},
    {ApiKey::api_versions, "ApiVersions", 0, 3, 0, 3},
    {ApiKey::create_topics, "CreateTopics", 2, 4, 2, 5},
    {ApiKey::delete_topics, "DeleteTopics", 1, 3, 1, 4},
    {ApiKey::delete_records, "DeleteRecords", 0, 2, 0, 2},
    {ApiKey::init_producer_id, "InitProducerId", 0, 4, 0, 2},
    {ApiKey::offset_for_leader_epoch, "OffsetForLeaderEpoch", 0, 4, 0, 4},
    {ApiKey::describe_configs, "DescribeConfigs", 1, 2, 1, 4},
    {ApiKey::sasl_authenticate, "SaslAuthenticate", 0, 2, 0, 2},
    {ApiKey::create_partitions, "CreatePartitions", 0, 1, 0, 2},
    {ApiKey::delete_groups, "DeleteGroups", 0, 1, 0, 2},
}};

}  // namespace

std::span<const ApiVersionRange> supported_apis() { return kApis; }

const ApiVersionRange* find_api(std::int16_t api_key) {
  for (const ApiVersionRange& row : kApis) {
    if (to_int(row.api_key) == api_key) return &row;
  }
  return nullptr;
}

bool is_advertised(std::int16_t api_key, std::int16_t version) {
  const ApiVersionRange* row = find_api(api_key);
  return row != nullptr && version >= row->min_version && version <= row->max_version;
}

bool is_served(std::int16_t api_key, std::int16_t version) {
  const ApiVersionRange* row = find_api(api_key);
  return row != nullptr && version >= row->min_served_version && version <= row->max_version;
}

bool is_flexible(std::int16_t api_key, std::int16_t version) {
  const ApiVersionRange* row = find_api(api_key);
  return row != nullptr && version >= row->first_flexible_version;
}

std::string api_name(std::int16_t api_key) {
  const ApiVersionRange* row = find_api(api_key);
  return row != nullptr ? std::string(row->name) : "api key " + std::to_string(api_key);
}

}  // namespace strata::kafka
