#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace strata {

// Returns the named module logger ("storage", "broker", ...), creating it on
// first use with the process-wide sinks and level. Thread-safe.
std::shared_ptr<spdlog::logger> module_logger(const std::string& name);

// Sets the level of every module logger, present and future. Call from main.
// Accepts trace, debug, info, warn, error, critical, off; false for others.
bool set_log_level(const std::string& level);

}  // namespace strata
