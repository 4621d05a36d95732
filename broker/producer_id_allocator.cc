#include "broker/producer_id_allocator.h"

#include "replication/metadata/metadata_store.h"

namespace strata::broker {

Result<std::int64_t> ProducerIdAllocator::allocate() {
  std::lock_guard lock(mu_);
  if (next_ >= block_end_) {
    STRATA_TRY_ASSIGN(replication::ProducerIdBlock block, store_.allocate_producer_ids(kBlockSize));
    next_ = block.first;
    block_end_ = block.end();
  }
  return next_++;
}

}  // namespace strata::broker
