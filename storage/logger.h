#pragma once

#include <memory>

#include <spdlog/spdlog.h>

namespace strata::storage {

// The "storage" module logger (see common/logging.h). Thread-safe.
std::shared_ptr<spdlog::logger> logger();

}  // namespace strata::storage
