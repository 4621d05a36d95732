#include "common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace strata {

std::shared_ptr<spdlog::logger> module_logger(const std::string& name) {
  if (auto existing = spdlog::get(name)) return existing;
  try {
    auto logger = spdlog::stderr_color_mt(name);
    logger->set_level(spdlog::get_level());
    return logger;
  } catch (const spdlog::spdlog_ex&) {
    return spdlog::get(name);  // another thread registered it first
  }
}

bool set_log_level(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") return false;
  spdlog::set_level(parsed);  // applies to every registered logger and the default
  return true;
}

}  // namespace strata
