#pragma once

// Small helpers for the libstrata integration tests: clients bound to a
// BrokerProcess, and bounded produce/consume loops.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <strata/admin.h>
#include <strata/consumer.h>
#include <strata/producer.h>

#include "tests/support/broker_process.h"
#include "tests/support/timeouts.h"

namespace strata::testing {

inline client::ConnectionOptions connection_to(const BrokerProcess& broker) {
  client::ConnectionOptions options;
  options.bootstrap = broker.native_address();
  // Also how long a fetch stream may stay silent: scaled for slow TSan runs.
  options.request_timeout_ms = static_cast<std::int32_t>(scaled(std::chrono::seconds(15)).count());
  return options;
}

inline std::unique_ptr<client::Admin> make_admin(const BrokerProcess& broker) {
  auto admin = client::Admin::create(client::AdminOptions{connection_to(broker)});
  REQUIRE(admin.ok());
  return std::move(admin).value();
}

inline std::unique_ptr<client::Producer> make_producer(const BrokerProcess& broker,
                                                       client::ProducerOptions options = {}) {
  options.connection = connection_to(broker);
  auto producer = client::Producer::create(options);
  REQUIRE(producer.ok());
  return std::move(producer).value();
}

inline std::unique_ptr<client::Consumer> make_consumer(const BrokerProcess& broker,
                                                       client::ConsumerOptions options = {}) {
  options.connection = connection_to(broker);
  auto consumer = client::Consumer::create(options);
  REQUIRE(consumer.ok());
  return std::move(consumer).value();
}

// Polls until `count` records arrived or `timeout` (scaled) passed (the
// caller checks the size). Fails the test on a poll error.
inline std::vector<client::ConsumerRecord> consume(client::Consumer& consumer, std::size_t count,
                                                   std::chrono::milliseconds timeout =
                                                       std::chrono::seconds(60)) {
  std::vector<client::ConsumerRecord> out;
  const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
  while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto records = consumer.poll(std::chrono::milliseconds(200));
    INFO((records.ok() ? std::string("ok") : records.status().to_string()));
    REQUIRE(records.ok());
    for (auto& record : *records) out.push_back(std::move(record));
  }
  return out;
}

// Sends `count` records key-i/value-i to `topic` and waits for all of them.
inline void produce_numbered(client::Producer& producer, const std::string& topic, int count) {
  std::vector<std::future<Result<client::RecordMetadata>>> futures;
  for (int i = 0; i < count; ++i) {
    futures.push_back(producer.send(topic, "key-" + std::to_string(i), "value-" + std::to_string(i)));
  }
  producer.flush();
  for (auto& future : futures) {
    auto result = future.get();
    INFO((result.ok() ? std::string("ok") : result.status().to_string()));
    REQUIRE(result.ok());
  }
}

}  // namespace strata::testing
