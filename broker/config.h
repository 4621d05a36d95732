#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "broker/host_port.h"
#include "broker/topic_config.h"

namespace strata::broker {

// Every setting of strata-broker (docs/configuration.md). Parsed once in
// main and handed to the Server; a plain value.
struct BrokerConfig {
  std::string data_dir = "./strata-data";
  HostPort listen{"127.0.0.1", 7070};
  HostPort http_listen{"127.0.0.1", 8080};
  std::int32_t node_id = 0;
  std::string log_level = "info";
  std::int32_t io_threads = 2;
  std::int64_t retention_check_interval_ms = 300000;
  TopicDefaults topic_defaults;
};

// Parses the command line and the optional --config file (flags win over
// the file). Returns the config, or the exit code to leave with after
// --help (0) or an error (non-zero; the message is printed).
std::variant<BrokerConfig, int> parse_command_line(int argc, char** argv);

}  // namespace strata::broker
