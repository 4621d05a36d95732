#pragma once

// Walks a buffer of concatenated RecordBatch v2 batches, as a fetch response
// or a segment file holds them.

#include <cstddef>
#include <optional>

#include "common/bytes.h"
#include "common/record_batch.h"
#include "common/result.h"

namespace strata {

// Yields the validated batches of a byte buffer in order. Borrows the bytes,
// which must outlive it and every view it returns; one thread at a time.
//
//   RecordBatchIterator it(bytes);
//   for (;;) {
//     STRATA_TRY_ASSIGN(auto batch, it.next());
//     if (!batch) break;  // it.remaining_bytes() > 0: a partial trailing batch
//     ...
//   }
class RecordBatchIterator {
 public:
  explicit RecordBatchIterator(ByteSpan bytes) : bytes_(bytes) {}

  // The next whole batch, validated (RecordBatchView::validate). nullopt when
  // no whole batch remains: the end of the buffer, or a trailing batch whose
  // header says it is longer than the bytes left (a fetch response cut at its
  // size limit, a torn segment tail). Errors: corruption when a whole batch
  // fails validation or a length field is impossible; the iterator then stays
  // at that batch, so consumed_bytes() is where the damage starts.
  Result<std::optional<RecordBatchView>> next();

  // Bytes of the whole batches returned so far: the position of the next one.
  std::size_t consumed_bytes() const { return position_; }
  // Bytes after consumed_bytes(); once next() gave nullopt, the partial batch.
  std::size_t remaining_bytes() const { return bytes_.size() - position_; }

 private:
  ByteSpan bytes_;
  std::size_t position_ = 0;
};

}  // namespace strata
