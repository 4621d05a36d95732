#include "broker/config.h"

#include <algorithm>
#include <iostream>

#include <CLI/CLI.hpp>

#include "broker/security/sasl_server.h"

namespace strata::broker {

std::variant<BrokerConfig, int> parse_command_line(int argc, char** argv) {
  BrokerConfig c;
  std::string listen = c.listen.to_string();
  std::string http_listen = c.http_listen.to_string();
  std::string kafka_listen = c.kafka_listen.to_string();
  std::string kafka_advertised;
  std::string durability = c.topic_defaults.durable ? "fsync" : "async";
  std::int64_t segment_bytes = static_cast<std::int64_t>(c.topic_defaults.segment_bytes);
  std::int64_t max_message_bytes = static_cast<std::int64_t>(c.topic_defaults.max_message_bytes);

  CLI::App app{"strata-broker: a Strata broker node (standalone: metadata kept in the data "
               "directory, nothing else to run)"};
  app.option_defaults()->always_capture_default();
  app.set_config("--config", "",
                 "Read settings from FILE: 'name = value' lines, names as the long flags "
                 "without '--' (e.g. data-dir = /var/lib/strata); flags on the command line win");
  app.add_option("--data-dir", c.data_dir, "Directory for partition logs and metadata");
  app.add_option("--listen", listen, "HOST:PORT of the native gRPC API (port 0: any free port)");
  app.add_option("--http-listen", http_listen,
                 "HOST:PORT of /healthz and /metrics (port 0: any free port)");
  app.add_option("--kafka-listen", kafka_listen,
                 "HOST:PORT of the Kafka-protocol listener (port 0: any free port)");
  app.add_option("--kafka-advertised-listener", kafka_advertised,
                 "HOST:PORT Kafka clients are told to connect to (default: the bound address)");
  app.add_option("--kafka-max-request-bytes", c.kafka_max_request_bytes,
                 "Largest Kafka request frame; a larger size closes the connection unread")
      ->check(CLI::Range(1024, std::numeric_limits<std::int32_t>::max()));
  app.add_option("--kafka-idle-timeout-ms", c.kafka_idle_timeout_ms,
                 "Close a Kafka connection idle (or whose writes make no progress) this long")
      ->check(CLI::PositiveNumber);
  app.add_option("--kafka-frame-read-timeout-ms", c.kafka_frame_read_timeout_ms,
                 "Close a Kafka connection whose request frame does not arrive in this time")
      ->check(CLI::PositiveNumber);
  app.add_option("--kafka-network-threads", c.kafka_network_threads,
                 "Threads that read and write Kafka sockets (connections are spread over them)")
      ->check(CLI::Range(1, 64));
  app.add_option("--kafka-security-protocol", c.kafka_security_protocol,
                 "Kafka listener security: PLAINTEXT (no authentication) or SASL_PLAINTEXT "
                 "(SASL first; users from 'strata user create')")
      ->check(CLI::IsMember({"PLAINTEXT", "SASL_PLAINTEXT"}));
  app.add_option("--kafka-sasl-mechanisms", c.kafka_sasl_mechanisms,
                 "SASL mechanisms of the Kafka listener, comma-separated: SCRAM-SHA-256, "
                 "SCRAM-SHA-512, PLAIN");
  app.add_flag("--kafka-sasl-allow-insecure-plain", c.kafka_sasl_allow_insecure_plain,
               "Allow PLAIN on SASL_PLAINTEXT, where passwords cross the network in clear "
               "(refused at start otherwise)");
  app.add_option("--kafka-sasl-failure-delay-ms", c.kafka_sasl_failure_delay_ms,
                 "Answer a failed SASL authentication this late, then close the connection")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{60000}));
  app.add_option("--kafka-sasl-authentication-timeout-ms", c.kafka_sasl_authentication_timeout_ms,
                 "Close a SASL_PLAINTEXT connection not authenticated this long after it opened")
      ->check(CLI::PositiveNumber);
  app.add_flag("--auto-create-topics", c.auto_create_topics,
               "Create a topic (default partitions) when a Kafka client asks for its metadata "
               "and allows auto-creation");
  app.add_option("--node-id", c.node_id, "This broker's node id")->check(CLI::NonNegativeNumber);
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error, critical or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_option("--io-threads", c.io_threads,
                 "Threads of the pool that runs partition work, reads and admin requests")
      ->check(CLI::Range(1, 256));
  app.add_option("--default-partitions", c.topic_defaults.partitions,
                 "Partitions of a topic created without a count")
      ->check(CLI::Range(1, kMaxPartitionsPerTopic));
  app.add_option("--segment-bytes", segment_bytes, "Default segment.bytes: roll size of a segment")
      ->check(CLI::Range(std::int64_t{14}, std::int64_t{0xFFFFFFFF}));
  app.add_option("--segment-ms", c.topic_defaults.segment_ms,
                 "Default segment.ms: age at which the active segment rolls")
      ->check(CLI::PositiveNumber);
  app.add_option("--retention-ms", c.topic_defaults.retention_ms,
                 "Default retention.ms: delete segments older than this (-1: keep forever)")
      ->check(CLI::Range(std::int64_t{-1}, std::numeric_limits<std::int64_t>::max()));
  app.add_option("--retention-bytes", c.topic_defaults.retention_bytes,
                 "Default retention.bytes: per-partition size limit (-1: none)")
      ->check(CLI::Range(std::int64_t{-1}, std::numeric_limits<std::int64_t>::max()));
  app.add_option("--durability", durability,
                 "Default durability: fsync (acknowledged = fsynced) or async")
      ->check(CLI::IsMember({"fsync", "async"}));
  app.add_option("--max-message-bytes", max_message_bytes,
                 "Largest record batch: default max.message.bytes and the highest a topic may "
                 "set; the gRPC receive limit is this plus 64 KiB")
      ->check(CLI::Range(std::int64_t{61}, std::int64_t{1} << 30));
  app.add_option("--retention-check-interval-ms", c.retention_check_interval_ms,
                 "How often retention runs on every partition")
      ->check(CLI::PositiveNumber);
  app.add_option("--group-min-session-timeout-ms", c.groups.min_session_timeout_ms,
                 "Kafka's group.min.session.timeout.ms: shortest session timeout a group "
                 "member may ask for (shorter joins get INVALID_SESSION_TIMEOUT)")
      ->check(CLI::Range(0, std::numeric_limits<std::int32_t>::max()));
  app.add_option("--group-max-session-timeout-ms", c.groups.max_session_timeout_ms,
                 "Kafka's group.max.session.timeout.ms: longest session timeout a group "
                 "member may ask for (longer joins get INVALID_SESSION_TIMEOUT)")
      ->check(CLI::Range(0, std::numeric_limits<std::int32_t>::max()));
  app.add_option("--group-initial-rebalance-delay-ms", c.groups.initial_rebalance_delay_ms,
                 "Kafka's group.initial.rebalance.delay.ms: how long an empty group waits for "
                 "more members before its first generation (0: no wait)")
      ->check(CLI::Range(0, std::numeric_limits<std::int32_t>::max()));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (c.groups.min_session_timeout_ms > c.groups.max_session_timeout_ms) {
    std::cerr << "strata-broker: --group-min-session-timeout-ms ("
              << c.groups.min_session_timeout_ms
              << ") must not exceed --group-max-session-timeout-ms ("
              << c.groups.max_session_timeout_ms << ")\n";
    return 2;
  }
  auto mechanisms = security::parse_sasl_mechanisms(c.kafka_sasl_mechanisms);
  if (!mechanisms.ok()) {
    std::cerr << "strata-broker: --kafka-sasl-mechanisms " << mechanisms.status().message() << "\n";
    return 2;
  }
  const bool has_plain = std::find(mechanisms->begin(), mechanisms->end(),
                                   security::SaslMechanism::plain) != mechanisms->end();
  if (c.kafka_security_protocol == "SASL_PLAINTEXT" && has_plain &&
      !c.kafka_sasl_allow_insecure_plain) {
    std::cerr << "strata-broker: PLAIN on SASL_PLAINTEXT sends passwords in clear; refusing to "
                 "start (remove PLAIN from --kafka-sasl-mechanisms, or accept the risk with "
                 "--kafka-sasl-allow-insecure-plain)\n";
    return 2;
  }
  auto parsed_listen = parse_host_port(listen);
  auto parsed_http = parse_host_port(http_listen);
  if (!parsed_listen.ok() || !parsed_http.ok()) {
    std::cerr << "strata-broker: "
              << (!parsed_listen.ok() ? "--listen " + parsed_listen.status().message()
                                      : "--http-listen " + parsed_http.status().message())
              << "\n";
    return 2;
  }
  auto parsed_kafka = parse_host_port(kafka_listen);
  if (!parsed_kafka.ok()) {
    std::cerr << "strata-broker: --kafka-listen " << parsed_kafka.status().message() << "\n";
    return 2;
  }
  c.kafka_listen = *parsed_kafka;
  if (!kafka_advertised.empty()) {
    auto parsed = parse_host_port(kafka_advertised);
    if (!parsed.ok() || parsed->port == 0) {
      std::cerr << "strata-broker: --kafka-advertised-listener "
                << (parsed.ok() ? "needs a port" : parsed.status().message()) << "\n";
      return 2;
    }
    c.kafka_advertised_listener = *parsed;
  }
  c.listen = *parsed_listen;
  c.http_listen = *parsed_http;
  c.topic_defaults.durable = durability == "fsync";
  c.topic_defaults.segment_bytes = static_cast<std::uint64_t>(segment_bytes);
  c.topic_defaults.max_message_bytes = static_cast<std::size_t>(max_message_bytes);
  return c;
}

}  // namespace strata::broker
