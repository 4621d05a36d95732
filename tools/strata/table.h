#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace strata::cli {

// A plain-text table: a header row and left-aligned columns two spaces
// apart, sized to their widest cell. A value built and printed by one command.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  // Requires: as many cells as headers.
  void add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void print(std::FILE* out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace strata::cli
