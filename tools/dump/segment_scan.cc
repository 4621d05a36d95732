#include "tools/dump/segment_scan.h"

#include <charconv>
#include <utility>

#include "common/bytes.h"
#include "tools/dump/read_only_file.h"

namespace strata::dump {

namespace {

namespace L = batch_layout;

void add_finding(SegmentReport& report, std::uint64_t position, std::string message) {
  report.findings.push_back(Finding{report.path, position, std::move(message)});
}

// Offsets must grow batch after batch; the base offset is outside the CRC,
// so this is the only check that catches a damaged one.
void check_offsets(SegmentReport& report, std::uint64_t position, const RecordBatchHeader& h,
                   std::optional<Offset> previous_last_offset) {
  if (report.last_offset && h.base_offset <= *report.last_offset) {
    add_finding(report, position,
                "batch base offset " + std::to_string(h.base_offset.value()) +
                    " does not follow the previous batch's last offset " +
                    std::to_string(report.last_offset->value()));
  } else if (!report.last_offset && previous_last_offset &&
             h.base_offset <= *previous_last_offset) {
    add_finding(report, position,
                "batch base offset " + std::to_string(h.base_offset.value()) +
                    " does not follow the previous segment's last offset " +
                    std::to_string(previous_last_offset->value()));
  } else if (!report.last_offset && report.name_base_offset &&
             h.base_offset < *report.name_base_offset) {
    add_finding(report, position,
                "batch base offset " + std::to_string(h.base_offset.value()) +
                    " is below the segment's base offset " +
                    std::to_string(report.name_base_offset->value()));
  }
}

void account_good_batch(SegmentReport& report, const RecordBatchHeader& h) {
  if (!report.first_offset) {
    report.first_offset = h.base_offset;
    report.first_max_timestamp = h.max_timestamp;
  }
  report.last_offset = h.last_offset();
  report.last_max_timestamp = h.max_timestamp;
  report.record_count += h.record_count;
}

}  // namespace

std::optional<Offset> base_offset_from_file_name(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  constexpr std::size_t kDigits = 20;
  if (name.size() != kDigits + 4 || !name.ends_with(".log")) return std::nullopt;
  std::int64_t value = 0;
  const char* end = name.data() + kDigits;
  auto [ptr, ec] = std::from_chars(name.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 0) return std::nullopt;
  return Offset(value);
}

Result<SegmentReport> scan_segment(const std::filesystem::path& path,
                                   std::optional<Offset> previous_last_offset,
                                   const BatchVisitor& visit) {
  STRATA_TRY_ASSIGN(ReadOnlyFile file, ReadOnlyFile::open(path));
  SegmentReport report;
  report.path = path;
  report.name_base_offset = base_offset_from_file_name(path);
  STRATA_TRY_ASSIGN(report.size_bytes, file.size());

  std::uint64_t position = 0;
  Buffer header_bytes(L::kHeaderSize);
  Buffer batch_bytes;
  while (position < report.size_bytes) {
    const std::uint64_t remaining = report.size_bytes - position;
    if (remaining < L::kHeaderSize) {
      report.truncated = true;
      add_finding(report, position,
                  "truncated batch header: file ends after " + std::to_string(remaining) + " of " +
                      std::to_string(L::kHeaderSize) + " header bytes");
      break;
    }
    STRATA_TRY(file.read_at(position, header_bytes));
    Result<RecordBatchHeader> header = parse_batch_header(header_bytes);
    if (!header.ok()) {
      add_finding(report, position, header.status().message() + "; framing lost, scan stops");
      break;
    }
    const RecordBatchHeader& h = *header;
    if (h.size_bytes() > remaining) {
      report.truncated = true;
      add_finding(report, position,
                  "truncated batch: file ends after " + std::to_string(remaining) + " of " +
                      std::to_string(h.size_bytes()) + " bytes");
      break;
    }
    batch_bytes.resize(h.size_bytes());
    STRATA_TRY(file.read_at(position, batch_bytes));
    Result<RecordBatchView> view = RecordBatchView::validate(batch_bytes);
    ++report.batch_count;
    if (view.ok()) {
      check_offsets(report, position, h, previous_last_offset);
      account_good_batch(report, h);
    } else {
      ++report.invalid_batches;
      add_finding(report, position, view.status().message());
    }
    if (visit) visit(ScannedBatch{position, h, view.ok() ? &*view : nullptr});
    position += h.size_bytes();
    report.framed_bytes = position;
  }
  return report;
}

}  // namespace strata::dump
