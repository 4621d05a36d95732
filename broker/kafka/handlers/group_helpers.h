#pragma once

// Small conversions shared by the group API handlers.

#include <cstdint>
#include <string>

#include "broker/group/group_error.h"
#include "common/bytes.h"

namespace strata::broker::kafka {

// GroupError values are Kafka's codes (group_error.h).
inline std::int16_t kafka_code(GroupError error) { return static_cast<std::int16_t>(error); }

inline std::string to_string_bytes(const Buffer& b) { return std::string(as_string_view(b)); }

}  // namespace strata::broker::kafka
