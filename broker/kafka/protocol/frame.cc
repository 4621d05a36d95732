#include "broker/kafka/protocol/frame.h"

#include <limits>
#include <string>

#include "common/endian.h"

namespace strata::kafka {

Status check_frame_size(std::int32_t declared, std::int32_t max_bytes, std::int32_t min_bytes) {
  if (declared <= 0) {
    return corruption_error("kafka: frame size " + std::to_string(declared) + " is not positive");
  }
  if (declared < min_bytes) {
    return corruption_error("kafka: frame size " + std::to_string(declared) +
                            " is below the minimum of " + std::to_string(min_bytes));
  }
  if (declared > max_bytes) {
    return too_large_error("kafka: frame size " + std::to_string(declared) +
                           " exceeds the limit of " + std::to_string(max_bytes));
  }
  return Status::ok_status();
}

Result<std::int32_t> read_frame_size(ByteSpan prefix, std::int32_t max_bytes,
                                     std::int32_t min_bytes) {
  if (prefix.size() < kFrameSizeBytes) {
    return corruption_error("kafka: frame size needs 4 bytes, got " +
                            std::to_string(prefix.size()));
  }
  const auto declared = load_be<std::int32_t>(prefix.data());
  STRATA_TRY(check_frame_size(declared, max_bytes, min_bytes));
  return declared;
}

std::size_t begin_frame(Buffer& out) {
  const std::size_t start = out.size();
  out.resize(start + kFrameSizeBytes);
  return start;
}

Status finish_frame(Buffer& out, std::size_t frame_start) {
  const std::size_t size = out.size() - frame_start - kFrameSizeBytes;
  if (size > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return too_large_error("kafka: frame of " + std::to_string(size) + " bytes");
  }
  store_be(out.data() + frame_start, static_cast<std::int32_t>(size));
  return Status::ok_status();
}

}  // namespace strata::kafka
