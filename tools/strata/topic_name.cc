#include "tools/strata/topic_name.h"

#include <string>

namespace strata::cli {

Status validate_topic_name(std::string_view name) {
  if (name.empty()) return invalid_argument_error("invalid topic name: it is empty");
  if (name == "." || name == "..") {
    return invalid_argument_error("invalid topic name '" + std::string(name) +
                                  "': '.' and '..' are not allowed");
  }
  if (name.size() > kMaxTopicNameLength) {
    return invalid_argument_error("invalid topic name: " + std::to_string(name.size()) +
                                  " characters, the limit is " +
                                  std::to_string(kMaxTopicNameLength));
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return invalid_argument_error("invalid topic name '" + std::string(name) +
                                    "': only letters, digits, '.', '_' and '-' are allowed");
    }
  }
  return Status::ok_status();
}

}  // namespace strata::cli
