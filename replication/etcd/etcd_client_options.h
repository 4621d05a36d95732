#pragma once

#include <chrono>
#include <string>

namespace strata::replication {

// How an EtcdClient reaches etcd. Every field has a default.
struct EtcdClientOptions {
  // Comma-separated client URLs of the etcd members, http://HOST:PORT[,...]
  // (see parse_etcd_endpoints). Calls go to one member at a time and move to
  // the next when it does not answer.
  std::string endpoints = "http://127.0.0.1:2379";
  // The whole budget of one call, across every endpoint and backoff.
  std::chrono::milliseconds call_timeout{5000};
  // The deadline of one attempt on one endpoint, within call_timeout; a
  // member that hangs (paused, partitioned) costs at most this much.
  std::chrono::milliseconds attempt_timeout{2000};
  // The pause after every endpoint failed once, doubling up to max_backoff.
  std::chrono::milliseconds initial_backoff{50};
  std::chrono::milliseconds max_backoff{1000};
};

}  // namespace strata::replication
