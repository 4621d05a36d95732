#include "replication/etcd/logger.h"

#include "common/logging.h"

namespace strata::replication {

std::shared_ptr<spdlog::logger> etcd_logger() {
  static const std::shared_ptr<spdlog::logger> logger = module_logger("etcd");
  return logger;
}

}  // namespace strata::replication
