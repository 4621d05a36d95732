#include "broker/logger.h"

#include "common/logging.h"

namespace strata::broker {

std::shared_ptr<spdlog::logger> logger() {
  static const std::shared_ptr<spdlog::logger> instance = module_logger("broker");
  return instance;
}

}  // namespace strata::broker
