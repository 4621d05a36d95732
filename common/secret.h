#pragma once

// A value that must never be printed: passwords, and anything derived from
// them that would let someone log in. Formats as "***" through fmt/spdlog
// and iostreams; the only way to the bytes is reveal(), which greps well.

#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace strata {

// Owns its bytes and wipes them when destroyed. A plain value; any thread.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
  Secret& operator=(Secret&& other) noexcept {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
    return *this;
  }
  ~Secret() { wipe(); }

  // The secret bytes, for the code that hashes or sends them.
  std::string_view reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  void wipe() {
    // volatile: the compiler may not drop stores to memory about to be freed.
    volatile char* p = value_.data();
    for (std::size_t i = 0; i < value_.size(); ++i) p[i] = 0;
    value_.clear();
  }
  std::string value_;
};

inline constexpr std::string_view kRedacted = "***";

inline std::ostream& operator<<(std::ostream& out, const Secret&) { return out << kRedacted; }

}  // namespace strata

template <>
struct fmt::formatter<strata::Secret> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const strata::Secret&, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(strata::kRedacted, ctx);
  }
};
