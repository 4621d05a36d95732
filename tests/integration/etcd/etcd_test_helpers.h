#pragma once

#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "replication/etcd/etcd_client.h"
#include "tests/support/etcd_process.h"

namespace strata::testing {

// A started etcd member; fails the test when it does not come up.
inline std::unique_ptr<EtcdProcess> started_etcd() {
  auto etcd = std::make_unique<EtcdProcess>();
  INFO(etcd->error());
  REQUIRE(etcd->start());
  return etcd;
}

// A client of `endpoints` with short deadlines, so a test of an unreachable
// etcd ends in seconds.
inline std::unique_ptr<replication::EtcdClient> etcd_client(const std::string& endpoints) {
  replication::EtcdClientOptions options;
  options.endpoints = endpoints;
  options.call_timeout = std::chrono::milliseconds(3000);
  options.attempt_timeout = std::chrono::milliseconds(1000);
  auto client = replication::EtcdClient::create(options);
  INFO(client.status().to_string());
  REQUIRE(client.ok());
  return std::move(client).value();
}

}  // namespace strata::testing
