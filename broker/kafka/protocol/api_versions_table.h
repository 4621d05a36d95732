#pragma once

// The one table of Kafka APIs Strata speaks: what ApiVersions advertises,
// which versions the codec decodes, and where flexible versions start.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace strata::kafka {

// Kafka API keys the codec knows.
enum class ApiKey : std::int16_t {
  produce = 0,
  fetch = 1,
  list_offsets = 2,
  metadata = 3,
  offset_commit = 8,
  offset_fetch = 9,
  find_coordinator = 10,
  join_group = 11,
  heartbeat = 12,
  leave_group = 13,
  sync_group = 14,
  describe_groups = 15,
  list_groups = 16,
  sasl_handshake = 17,
  api_versions = 18,
  create_topics = 19,
  delete_topics = 20,
  delete_records = 21,
  init_producer_id = 22,
  offset_for_leader_epoch = 23,
  describe_configs = 32,
  sasl_authenticate = 36,
  create_partitions = 37,
  delete_groups = 42,
};

// One API's row. Advertised = [min_version, max_version]; served (decoded
// and handled normally) = [min_served_version, max_version]; versions from
// first_flexible_version on use compact encodings, tagged fields and request
// header v2 / response header v1. first_flexible_version may lie above
// max_version: Kafka's own value, kept so that header versions of requests
// above our range are still read the way Kafka reads them.
struct ApiVersionRange {
  ApiKey api_key;
  std::string_view name;
  std::int16_t min_version;
  std::int16_t max_version;
  std::int16_t min_served_version;
  std::int16_t first_flexible_version;
};

// Every row, ordered by api key. Immutable; any thread.
std::span<const ApiVersionRange> supported_apis();

// The row for `api_key`, or null when Strata does not know the key.
const ApiVersionRange* find_api(std::int16_t api_key);

// True when the key is known and `version` lies in its advertised range.
bool is_advertised(std::int16_t api_key, std::int16_t version);
// True when advertised and not refused as legacy (Produce v0-2 are refused).
bool is_served(std::int16_t api_key, std::int16_t version);
// True when the key is known and `version` >= its first flexible version.
bool is_flexible(std::int16_t api_key, std::int16_t version);

// "Metadata" or "api key 77".
std::string api_name(std::int16_t api_key);

inline constexpr std::int16_t to_int(ApiKey key) { return static_cast<std::int16_t>(key); }

}  // namespace strata::kafka
