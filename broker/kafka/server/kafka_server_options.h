#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "broker/host_port.h"

namespace strata::broker::kafka {

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
};

}  // namespace strata::broker::kafka
