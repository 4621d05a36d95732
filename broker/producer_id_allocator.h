#pragma once

#include <cstdint>
#include <mutex>

#include "common/result.h"

namespace strata::replication {
class MetadataStore;
}

namespace strata::broker {

// Hands out idempotent producer ids, unique across restarts and brokers:
// ids come from blocks the metadata store allocates atomically and durably
// (MetadataStore::allocate_producer_ids) before any id of the block is
// given out. Owned by the Server, shared by the Kafka InitProducerId
// handler and the native one.
//
// Threads: any pool thread (allocate() may call the store: never on a
// network thread); a short lock, the store called under it once per block.
class ProducerIdAllocator {
 public:
  static constexpr std::int64_t kBlockSize = 1000;

  // `store` is borrowed and must outlive this.
  explicit ProducerIdAllocator(replication::MetadataStore& store) : store_(store) {}
  ProducerIdAllocator(const ProducerIdAllocator&) = delete;
  ProducerIdAllocator& operator=(const ProducerIdAllocator&) = delete;

  // A fresh producer id (epoch 0 goes with it). Errors: the store's
  // (io_error, corruption, unavailable).
  Result<std::int64_t> allocate();

 private:
  replication::MetadataStore& store_;
  std::mutex mu_;
  std::int64_t next_ = 0;       // guarded by mu_
  std::int64_t block_end_ = 0;  // guarded by mu_; 0 = no block yet
};

}  // namespace strata::broker
