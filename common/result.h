#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "common/status.h"

namespace strata {

// A value of type T or a non-ok Status. Shaped like std::expected so that the
// switch to C++23 is mechanical: ok()/has_value(), value(), error()/status().
template <typename T>
class [[nodiscard]] Result {
 public:
  static_assert(!std::is_same_v<T, Status>, "Result<Status> makes no sense");

  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    STRATA_CHECK(!status_.ok(), "Result built from an ok Status");
  }

  bool ok() const { return value_.has_value(); }
  bool has_value() const { return ok(); }
  explicit operator bool() const { return ok(); }

  // Requires: ok().
  T& value() & { return checked(), *value_; }
  const T& value() const& { return checked(), *value_; }
  T&& value() && { return checked(), std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Ok when a value is held.
  const Status& status() const& { return status_; }
  Status status() && { return std::move(status_); }
  const Status& error() const { return status_; }

  T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  void checked() const { STRATA_CHECK(ok(), "value() of an error Result: " + status_.to_string()); }

  std::optional<T> value_;
  Status status_;
};

}  // namespace strata
