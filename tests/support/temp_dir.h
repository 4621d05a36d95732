#pragma once

#include <filesystem>
#include <string>

namespace strata::testing {

// A fresh directory under the system temp folder, removed with everything in
// it when the TempDir goes out of scope (set STRATA_KEEP_TEMP=1 to keep it).
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "strata-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace strata::testing
