#include "storage/logger.h"

#include "common/logging.h"

namespace strata::storage {

std::shared_ptr<spdlog::logger> logger() {
  static const std::shared_ptr<spdlog::logger> instance = module_logger("storage");
  return instance;
}

}  // namespace strata::storage
