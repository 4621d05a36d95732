#pragma once

#include <memory>

#include <spdlog/spdlog.h>

namespace strata::replication {

// The "etcd" module logger of the etcd client (see common/logging.h). Thread-safe.
std::shared_ptr<spdlog::logger> etcd_logger();

}  // namespace strata::replication
