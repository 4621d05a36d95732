#pragma once

#include <cstdint>
#include <mutex>

#include "common/result.h"

namespace strata::storage {
class KvStore;
}

namespace strata::broker {

// Hands out idempotent producer ids, unique across restarts: ids are taken
// from blocks whose end is stored in the KvStore (key "producer-id-next")
// before any id of the block is given out. Owned by the Server, shared by
// the Kafka InitProducerId handler and the native one.
//
// Threads: any pool thread (allocate() may write RocksDB: never on a network
// thread); a short lock, RocksDB written under it once per block.
class ProducerIdAllocator {
 public:
  static constexpr std::int64_t kBlockSize = 1000;

  explicit ProducerIdAllocator(storage::KvStore& kv) : kv_(kv) {}
  ProducerIdAllocator(const ProducerIdAllocator&) = delete;
  ProducerIdAllocator& operator=(const ProducerIdAllocator&) = delete;

  // A fresh producer id (epoch 0 goes with it). Errors: io_error, corruption
  // (a stored value that is not a number).
  Result<std::int64_t> allocate();

 private:
  storage::KvStore& kv_;
  std::mutex mu_;
  std::int64_t next_ = 0;       // guarded by mu_
  std::int64_t block_end_ = 0;  // guarded by mu_; 0 = no block yet
};

}  // namespace strata::broker
