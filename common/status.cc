#include "common/status.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace strata {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::ok: return "ok";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::already_exists: return "already_exists";
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::out_of_range: return "out_of_range";
    case ErrorCode::corruption: return "corruption";
    case ErrorCode::io_error: return "io_error";
    case ErrorCode::no_space: return "no_space";
    case ErrorCode::not_leader: return "not_leader";
    case ErrorCode::stale_epoch: return "stale_epoch";
    case ErrorCode::fenced: return "fenced";
    case ErrorCode::timed_out: return "timed_out";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::too_large: return "too_large";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::shutting_down: return "shutting_down";
    case ErrorCode::internal: return "internal";
  }
  return "unknown";
}

Status::Status(ErrorCode code, std::string message) {
  if (code != ErrorCode::ok) state_ = std::make_shared<const State>(State{code, std::move(message)});
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  std::string out(strata::to_string(state_->code));
  if (!state_->message.empty()) out.append(": ").append(state_->message);
  return out;
}

Status Status::with_context(std::string_view context) const {
  if (ok()) return *this;
  std::string message(context);
  message.append(": ").append(state_->message);
  return Status(state_->code, std::move(message));
}

Status not_found_error(std::string m) { return Status(ErrorCode::not_found, std::move(m)); }
Status already_exists_error(std::string m) { return Status(ErrorCode::already_exists, std::move(m)); }
Status invalid_argument_error(std::string m) { return Status(ErrorCode::invalid_argument, std::move(m)); }
Status out_of_range_error(std::string m) { return Status(ErrorCode::out_of_range, std::move(m)); }
Status corruption_error(std::string m) { return Status(ErrorCode::corruption, std::move(m)); }
Status io_error(std::string m) { return Status(ErrorCode::io_error, std::move(m)); }
Status too_large_error(std::string m) { return Status(ErrorCode::too_large, std::move(m)); }
Status unsupported_error(std::string m) { return Status(ErrorCode::unsupported, std::move(m)); }
Status internal_error(std::string m) { return Status(ErrorCode::internal, std::move(m)); }

Status errno_error(std::string_view what, int errnum) {
  std::string message(what);
  message.append(": ").append(std::strerror(errnum));
  return Status(errnum == ENOSPC ? ErrorCode::no_space : ErrorCode::io_error, std::move(message));
}

void check_failed(const char* file, int line, const char* condition, const std::string& message) {
  std::fprintf(stderr, "%s:%d: check failed: %s: %s\n", file, line, condition, message.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace strata
