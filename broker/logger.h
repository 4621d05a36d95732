#pragma once

#include <memory>

#include <spdlog/spdlog.h>

namespace strata::broker {

// The "broker" module logger (see common/logging.h). Thread-safe.
std::shared_ptr<spdlog::logger> logger();

}  // namespace strata::broker
