#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace strata {

// The kinds of failure Strata reports. Each says what a caller may do next:
// retry (timed_out, unavailable, not_leader), fix its input (invalid_argument,
// out_of_range, too_large, unsupported), or treat data as at risk (corruption,
// io_error, no_space).
enum class ErrorCode : std::uint8_t {
  ok = 0,
  not_found,
  already_exists,
  invalid_argument,
  out_of_range,
  corruption,
  io_error,
  no_space,
  not_leader,
  stale_epoch,
  fenced,
  timed_out,
  unavailable,
  too_large,
  unsupported,
  shutting_down,
  internal,
};

// The lower-case name of a code, as it appears in logs and CLI output.
std::string_view to_string(ErrorCode code);

// The outcome of an operation: ok, or an error code with a message that
// names its subject first ("orders-3: offset 120 is below log start 400").
// Cheap to copy when ok (no allocation).
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message);

  static Status ok_status() { return Status(); }

  bool ok() const { return state_ == nullptr; }
  ErrorCode code() const { return state_ ? state_->code : ErrorCode::ok; }
  // Empty when ok.
  const std::string& message() const;
  // "corruption: orders-3: crc mismatch at position 120" or "ok".
  std::string to_string() const;

  // Returns a copy whose message is prefixed with `context` and ": ".
  Status with_context(std::string_view context) const;

 private:
  struct State {
    ErrorCode code;
    std::string message;
  };
  std::shared_ptr<const State> state_;  // null when ok
};

inline bool operator==(const Status& a, ErrorCode b) { return a.code() == b; }

// Shorthands that read like the error they build.
Status not_found_error(std::string message);
Status already_exists_error(std::string message);
Status invalid_argument_error(std::string message);
Status out_of_range_error(std::string message);
Status corruption_error(std::string message);
Status io_error(std::string message);
// An io_error (or no_space for ENOSPC) that names the failed call and errno's text.
Status errno_error(std::string_view what, int errnum);
Status too_large_error(std::string message);
Status unsupported_error(std::string message);
Status internal_error(std::string message);

// Logs `message` with its source location and aborts. For broken invariants
// only, never for bad input.
[[noreturn]] void check_failed(const char* file, int line, const char* condition,
                               const std::string& message);

}  // namespace strata

// Propagates a non-ok Status from the enclosing function.
#define STRATA_TRY(expr)                              \
  do {                                                \
    ::strata::Status strata_try_status_ = (expr);     \
    if (!strata_try_status_.ok()) return strata_try_status_; \
  } while (false)

#define STRATA_CONCAT_INNER_(a, b) a##b
#define STRATA_CONCAT_(a, b) STRATA_CONCAT_INNER_(a, b)

// `STRATA_TRY_ASSIGN(auto log, PartitionLog::open(dir, opts));` declares (or
// assigns) the value of an ok Result, or returns its Status.
#define STRATA_TRY_ASSIGN(lhs, expr) \
  STRATA_TRY_ASSIGN_IMPL_(STRATA_CONCAT_(strata_try_result_, __LINE__), lhs, expr)
#define STRATA_TRY_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).status(); \
  lhs = std::move(tmp).value()

// Aborts (in every build type) when an invariant does not hold.
#define STRATA_CHECK(cond, message)                                  \
  do {                                                               \
    if (!(cond)) ::strata::check_failed(__FILE__, __LINE__, #cond, (message)); \
  } while (false)
