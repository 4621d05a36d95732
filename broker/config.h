#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "broker/group/group_coordinator_options.h"
#include "broker/host_port.h"
#include "broker/topic_config.h"

namespace strata::broker {

// Every setting of strata-broker (docs/configuration.md). Parsed once in
// main and handed to the Server; a plain value.
struct BrokerConfig {
  std::string data_dir = "./strata-data";
  HostPort listen{"127.0.0.1", 7070};
  HostPort http_listen{"127.0.0.1", 8080};
  // The Kafka-protocol listener (docs/configuration.md, "Kafka listener").
  HostPort kafka_listen{"127.0.0.1", 9092};
  // What Metadata and FindCoordinator tell clients; empty host = the bound address.
  HostPort kafka_advertised_listener{"", 0};
  std::int32_t kafka_max_request_bytes = 100 * 1024 * 1024;
  std::int64_t kafka_idle_timeout_ms = 600000;
  std::int64_t kafka_frame_read_timeout_ms = 30000;
  // Reactor threads of the Kafka listener (sockets only; handlers run on the pool).
  std::int32_t kafka_network_threads = 1;
  // Kafka's security.protocol of the Kafka listener: PLAINTEXT or SASL_PLAINTEXT.
  std::string kafka_security_protocol = "PLAINTEXT";
  // Kafka's sasl.enabled.mechanisms: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512.
  std::string kafka_sasl_mechanisms = "SCRAM-SHA-256,SCRAM-SHA-512";
  // PLAIN sends the password in clear on SASL_PLAINTEXT: refused without this.
  bool kafka_sasl_allow_insecure_plain = false;
  std::int64_t kafka_sasl_failure_delay_ms = 100;
  std::int64_t kafka_sasl_authentication_timeout_ms = 10000;
  // Metadata requests for unknown topics create them (default partitions).
  bool auto_create_topics = false;
  std::int32_t node_id = 0;
  std::string log_level = "info";
  std::int32_t io_threads = 2;
  std::int64_t retention_check_interval_ms = 300000;
  TopicDefaults topic_defaults;
  // --group-min-session-timeout-ms, --group-max-session-timeout-ms,
  // --group-initial-rebalance-delay-ms (Kafka's group.* settings).
  GroupCoordinatorOptions groups;
};

// Parses the command line and the optional --config file (flags win over
// the file). Returns the config, or the exit code to leave with after
// --help (0) or an error (non-zero; the message is printed).
std::variant<BrokerConfig, int> parse_command_line(int argc, char** argv);

}  // namespace strata::broker
