#include "storage/batch_scanner.h"

#include <algorithm>

#include "common/endian.h"

namespace strata::storage {

namespace L = batch_layout;

namespace {

constexpr std::size_t kChunk = 1 << 20;

// A read-ahead window over a file: bytes [pos_, pos_ + buf_.size()).
class Window {
 public:
  Window(const File& file, std::uint64_t end) : file_(file), end_(end) {}

  // The `n` bytes at `pos`, or fewer when the file ends first.
  Result<ByteSpan> get(std::uint64_t pos, std::size_t n) {
    if (pos < pos_ || pos + n > pos_ + buf_.size()) {
      std::size_t want = static_cast<std::size_t>(
          std::min<std::uint64_t>(std::max(n, kChunk), end_ > pos ? end_ - pos : 0));
      buf_.resize(want);
      STRATA_TRY_ASSIGN(std::size_t got, file_.read_at(pos, buf_));
      buf_.resize(got);
      pos_ = pos;
    }
    std::size_t from = static_cast<std::size_t>(pos - pos_);
    return ByteSpan(buf_).subspan(from, std::min(n, buf_.size() - from));
  }

 private:
  const File& file_;
  std::uint64_t end_;
  std::uint64_t pos_ = 0;
  Buffer buf_;
};

bool all_zero(ByteSpan b) {
  return std::all_of(b.begin(), b.end(), [](std::byte x) { return x == std::byte{0}; });
}

}  // namespace

Result<ScanOutcome> scan_batches(
    const File& file, std::uint64_t start, std::uint64_t end, Offset min_base, ScanMode mode,
    const std::function<void(const RecordBatchHeader&, std::uint64_t)>& on_batch) {
  Window window(file, end);
  ScanOutcome out;
  out.valid_end = start;
  out.next_offset = min_base;
  std::uint64_t pos = start;
  auto bad = [&](std::string why) {
    out.stop = ScanStop::bad_batch;
    out.problem = corruption_error(file.path().string() + ": bad batch at position " +
                                   std::to_string(pos) + ": " + why);
    return out;
  };
  while (pos < end) {
    std::uint64_t left = end - pos;
    STRATA_TRY_ASSIGN(ByteSpan prefix, window.get(pos, std::min<std::uint64_t>(left, L::kLogOverhead)));
    if (all_zero(prefix)) {
      out.stop = ScanStop::zero_fill;
      return out;
    }
    if (left < L::kHeaderSize) return bad("only " + std::to_string(left) + " bytes left");
    STRATA_TRY_ASSIGN(ByteSpan head, window.get(pos, L::kHeaderSize));
    if (head.size() < L::kHeaderSize) return bad("file shorter than expected");
    auto header = parse_batch_header(head);
    if (!header.ok()) return bad(header.status().message());
    const RecordBatchHeader& h = *header;
    if (h.size_bytes() > left) {
      return bad("batch of " + std::to_string(h.size_bytes()) + " bytes runs past the end");
    }
    if (h.base_offset < out.next_offset || h.last_offset_delta < 0) {
      return bad("offset " + std::to_string(h.base_offset.value()) + " does not follow " +
                 std::to_string(out.next_offset.value()));
    }
    if (mode == ScanMode::full) {
      STRATA_TRY_ASSIGN(ByteSpan whole, window.get(pos, h.size_bytes()));
      auto view = RecordBatchView::validate(whole);
      if (!view.ok()) return bad(view.status().message());
    }
    on_batch(h, pos);
    pos += h.size_bytes();
    out.valid_end = pos;
    out.next_offset = h.next_offset();
  }
  return out;
}

}  // namespace strata::storage
