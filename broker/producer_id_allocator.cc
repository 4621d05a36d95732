#include "broker/producer_id_allocator.h"

#include <charconv>
#include <optional>
#include <string>

#include "storage/kv_store.h"

namespace strata::broker {
namespace {

constexpr const char* kNextKey = "producer-id-next";

}  // namespace

Result<std::int64_t> ProducerIdAllocator::allocate() {
  std::lock_guard lock(mu_);
  if (next_ >= block_end_) {
    std::int64_t start = next_;
    if (block_end_ == 0) {
      STRATA_TRY_ASSIGN(std::optional<std::string> stored, kv_.get(kNextKey));
      start = 0;
      if (stored) {
        auto [ptr, ec] = std::from_chars(stored->data(), stored->data() + stored->size(), start);
        if (ec != std::errc() || ptr != stored->data() + stored->size() || start < 0) {
          return corruption_error(std::string(kNextKey) + ": not a producer id: " + *stored);
        }
      }
    }
    const std::int64_t end = start + kBlockSize;
    STRATA_TRY(kv_.put(kNextKey, std::to_string(end)));
    next_ = start;
    block_end_ = end;
  }
  return next_++;
}

}  // namespace strata::broker
