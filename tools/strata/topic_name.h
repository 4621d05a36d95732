#pragma once

#include <string_view>

#include "common/status.h"

namespace strata::cli {

// The longest topic name Kafka (and Strata) accept.
inline constexpr std::size_t kMaxTopicNameLength = 249;

// Ok when `name` is a valid topic name: 1..249 characters of [A-Za-z0-9._-],
// and neither "." nor "..". invalid_argument naming the rule otherwise.
Status validate_topic_name(std::string_view name);

}  // namespace strata::cli
