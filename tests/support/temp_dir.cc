#include "tests/support/temp_dir.h"

#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace strata::testing {

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed: " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  const char* keep = std::getenv("STRATA_KEEP_TEMP");
  if (keep != nullptr && std::string(keep) == "1") return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace strata::testing
