#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "broker/config.h"
#include "broker/host_port.h"
#include "common/status.h"

namespace strata::broker {

// The standalone broker, wired: KvStore (the offsets view, and the
// LocalMetadataStore on it), LogManager (the logs and their Flusher),
// the partition pool, TopicManager, OffsetsStore, the native gRPC server
// and the HTTP server. start() in dependency order, stop() in reverse.
// Owned by main; start()/stop() from one thread.
class Server {
 public:
  explicit Server(BrokerConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the data directory (recovering every partition), then binds both
  // listeners. Errors: io_error (bind, disk), corruption (metadata).
  Status start();
  // Stops accepting, answers or fails in-flight requests, closes every log
  // (synced, checkpointed, clean-shutdown marker) and the KvStore.
  void stop();

  // The bound addresses (real ports when 0 was asked). After start().
  const HostPort& native_address() const;
  const HostPort& http_address() const;
  // The bound Kafka listener address (not the advertised one). After start().
  const HostPort& kafka_address() const;

 private:
  struct Parts;
  Status start_kafka(const std::string& cluster_id);
  BrokerConfig config_;
  std::unique_ptr<Parts> parts_;
  std::atomic<bool> stopping_{false};
  bool started_ = false;
};

}  // namespace strata::broker
