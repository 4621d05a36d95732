#include "common/record_batch_iterator.h"

#include <string>

#include "common/endian.h"

namespace strata {

namespace L = batch_layout;

Result<std::optional<RecordBatchView>> RecordBatchIterator::next() {
  const ByteSpan rest = bytes_.subspan(position_);
  if (rest.size() < L::kLogOverhead) return std::optional<RecordBatchView>();
  const std::int32_t batch_length = load_be<std::int32_t>(rest.data() + L::kBatchLength);
  if (batch_length < static_cast<std::int32_t>(L::kHeaderSize - L::kLogOverhead)) {
    return corruption_error("record batch at position " + std::to_string(position_) +
                            ": length " + std::to_string(batch_length) +
                            " is below the header size");
  }
  const std::size_t size = L::kLogOverhead + static_cast<std::size_t>(batch_length);
  if (size > rest.size()) return std::optional<RecordBatchView>();
  Result<RecordBatchView> view = RecordBatchView::validate(rest.first(size));
  if (!view.ok()) {
    return view.status().with_context("record batch at position " + std::to_string(position_));
  }
  position_ += size;
  return std::optional<RecordBatchView>(*view);
}

}  // namespace strata
