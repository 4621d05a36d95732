#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "broker/host_port.h"
#include "broker/security/sasl_server.h"

namespace strata::broker::kafka {

// Kafka's security.protocol names, for this listener (TLS comes later, #16).
enum class KafkaSecurityProtocol {
  plaintext,       // PLAINTEXT: no authentication, every request served
  sasl_plaintext,  // SASL_PLAINTEXT: SASL first, then every request
};

// Settings of the Kafka listener (docs/configuration.md, "Kafka listener").
struct KafkaServerOptions {
  HostPort listen{"127.0.0.1", 9092};
  // Largest request frame (Kafka's socket.request.max.bytes); larger sizes
  // close the connection before anything is allocated.
  std::int32_t max_request_bytes = 100 * 1024 * 1024;
  // A frame whose bytes do not all arrive within this closes the connection.
  std::chrono::milliseconds frame_read_timeout{30000};
  // A connection with nothing to read, answer or write for this long, or a
  // write that makes no progress for this long, is closed
  // (Kafka's connections.max.idle.ms).
  std::chrono::milliseconds idle_timeout{600000};
  // Requests read ahead of their answers, per connection.
  std::size_t max_queued_requests = 500;
  // Reading pauses while this many answer bytes wait to be written.
  std::size_t max_outbound_bytes = 16 * 1024 * 1024;
  // Reactor threads (one io_context each); connections are spread over them.
  int network_threads = 1;

  KafkaSecurityProtocol security_protocol = KafkaSecurityProtocol::plaintext;
  // Mechanisms SaslHandshake accepts (sasl.enabled.mechanisms).
  std::vector<security::SaslMechanism> sasl_mechanisms{security::SaslMechanism::scram_sha_256,
                                                       security::SaslMechanism::scram_sha_512};
  // Credentials and fake-salt key; required with sasl_plaintext, owned by
  // the Server and outliving the listener.
  const security::SaslContext* sasl = nullptr;
  // A failed authentication is answered this late, then the connection
  // closes (connection.failed.authentication.delay.ms).
  std::chrono::milliseconds sasl_failure_delay{100};
  // A connection not authenticated this long after it opened is closed.
  std::chrono::milliseconds sasl_authentication_timeout{10000};
  // Largest frame before authentication (sasl.server.max.receive.size).
  std::int32_t sasl_max_receive_bytes = 512 * 1024;
};

}  // namespace strata::broker::kafka
