#pragma once

// DescribeConfigs (key 32), v1-2: configuration of topics (resource type 2)
// and brokers (4). Null configuration_keys means every key.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/kafka/protocol/reader.h"
#include "broker/kafka/protocol/writer.h"

namespace strata::kafka {

struct DescribeConfigsRequest {
  static constexpr ApiKey kApiKey = ApiKey::describe_configs;
  struct Resource {
    std::int8_t resource_type = 0;
    std::string resource_name;
    std::optional<std::vector<std::string>> configuration_keys;
    bool operator==(const Resource&) const = default;
  };
  std::vector<Resource> resources;
  bool include_synonyms = false;  // v1+
  bool operator==(const DescribeConfigsRequest&) const = default;
};

struct DescribeConfigsResponse {
  static constexpr ApiKey kApiKey = ApiKey::describe_configs;
  struct Result {
    struct Config {
      struct Synonym {
        std::string name;
        std::optional<std::string> value;
        std::int8_t source = 0;
        bool operator==(const Synonym&) const = default;
      };
      std::string name;
      std::optional<std::string> value;
      bool read_only = false;
      bool is_default = false;  // v0
      std::int8_t config_source = -1;  // v1+
      bool is_sensitive = false;
      std::vector<Synonym> synonyms;  // v1+
      bool operator==(const Config&) const = default;
    };
    std::int16_t error_code = 0;
    std::optional<std::string> error_message;
    std::int8_t resource_type = 0;
    std::string resource_name;
    std::vector<Config> configs;
    bool operator==(const Result&) const = default;
  };
  std::int32_t throttle_time_ms = 0;
  std::vector<Result> results;
  bool operator==(const DescribeConfigsResponse&) const = default;
};

// Body codecs for one version (the caller checks it is served); errors stick
// in the Reader/Writer.
void read(Reader& in, std::int16_t version, DescribeConfigsRequest& out);
void write(Writer& out, std::int16_t version, const DescribeConfigsRequest& in);
void read(Reader& in, std::int16_t version, DescribeConfigsResponse& out);
void write(Writer& out, std::int16_t version, const DescribeConfigsResponse& in);

}  // namespace strata::kafka
