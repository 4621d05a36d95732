#include "tools/dump/dump_command.h"

#include <algorithm>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "common/record_batch_reader.h"
#include "tools/dump/index_check.h"
#include "tools/dump/record_format.h"
#include "tools/dump/segment_scan.h"

namespace strata::dump {

namespace fs = std::filesystem;

namespace {

std::string optional_number(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string("none");
}

std::string offset_range(const SegmentReport& r) {
  if (!r.first_offset) return "none";
  return std::to_string(r.first_offset->value()) + ".." + std::to_string(r.last_offset->value());
}

std::string crc_verdict(const SegmentReport& r) {
  return r.invalid_batches == 0 ? std::string("ok")
                                : "failed(" + std::to_string(r.invalid_batches) + ")";
}

void print_segment_summary(std::FILE* out, const SegmentReport& r) {
  const std::optional<std::int64_t> base =
      r.name_base_offset ? std::optional<std::int64_t>(r.name_base_offset->value())
      : r.first_offset   ? std::optional<std::int64_t>(r.first_offset->value())
                         : std::nullopt;
  std::fprintf(out,
               "segment file=%s base_offset=%s size_bytes=%llu batches=%lld records=%lld "
               "offsets=%s first_max_timestamp=%s last_max_timestamp=%s crc=%s truncated=%s\n",
               r.path.c_str(), optional_number(base).c_str(),
               static_cast<unsigned long long>(r.size_bytes),
               static_cast<long long>(r.batch_count), static_cast<long long>(r.record_count),
               offset_range(r).c_str(), optional_number(r.first_max_timestamp).c_str(),
               optional_number(r.last_max_timestamp).c_str(), crc_verdict(r).c_str(),
               r.truncated ? "yes" : "no");
}

const char* codec_name(const RecordBatchHeader& h) {
  switch (h.attributes & kCompressionMask) {
    case 0: return "none";
    case 1: return "gzip";
    case 2: return "snappy";
    case 3: return "lz4";
    case 4: return "zstd";
    default: return "unknown";
  }
}

void print_batch_line(std::FILE* out, const ScannedBatch& b) {
  const RecordBatchHeader& h = b.header;
  std::fprintf(out,
               "  batch position=%llu base_offset=%lld last_offset=%lld records=%d size_bytes=%zu "
               "leader_epoch=%d max_timestamp=%lld producer_id=%lld producer_epoch=%d "
               "base_sequence=%d codec=%s%s%s crc=%s\n",
               static_cast<unsigned long long>(b.position),
               static_cast<long long>(h.base_offset.value()),
               static_cast<long long>(h.last_offset().value()), h.record_count, h.size_bytes(),
               h.partition_leader_epoch, static_cast<long long>(h.max_timestamp),
               static_cast<long long>(h.producer_id), static_cast<int>(h.producer_epoch),
               static_cast<int>(h.base_sequence), codec_name(h),
               h.is_transactional() ? " transactional" : "", h.is_control() ? " control" : "",
               b.view ? "ok" : "failed");
}

void print_findings(std::FILE* err, const std::vector<Finding>& findings) {
  for (const Finding& f : findings) {
    std::fprintf(err, "strata-dump: corruption: %s: byte %llu: %s\n", f.file.c_str(),
                 static_cast<unsigned long long>(f.position), f.message.c_str());
  }
}

// The *.log files of a partition directory in name order, which is base
// offset order for "%020d.log" names.
Result<std::vector<fs::path>> segments_in(const fs::path& dir) {
  std::vector<fs::path> segments;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".log" && it->is_regular_file(ec)) segments.push_back(it->path());
  }
  if (ec) return io_error(dir.string() + ": list directory: " + ec.message());
  std::sort(segments.begin(), segments.end());
  return segments;
}

// Everything one dump accumulates over its segments.
struct DumpTotals {
  std::int64_t segments = 0;
  std::int64_t batches = 0;
  std::int64_t records = 0;
  std::int64_t findings = 0;
  bool had_io_error = false;
};

// Scans one segment, printing batch and record lines as it goes, then its
// summary and its findings.
void dump_segment(const DumpOptions& options, const fs::path& file,
                  std::optional<Offset>& previous_last_offset, DumpTotals& totals, std::FILE* out,
                  std::FILE* err) {
  std::vector<Finding> decode_findings;
  std::vector<BatchLocation> locations;
  auto visit = [&](const ScannedBatch& b) {
    if (options.verify_index) {
      locations.push_back(BatchLocation{b.position, b.header.base_offset, b.header.max_timestamp,
                                        b.view != nullptr});
    }
    if (options.print_batches || options.print_records) print_batch_line(out, b);
    if (!options.print_records || b.view == nullptr) return;
    Result<std::vector<Record>> records = read_records(*b.view);
    if (!records.ok()) {
      decode_findings.push_back(Finding{file, b.position, records.status().message()});
      return;
    }
    for (const Record& r : *records) std::fprintf(out, "    record %s\n", format_record(r).c_str());
  };
  Result<SegmentReport> report = scan_segment(file, previous_last_offset, visit);
  if (!report.ok()) {
    std::fprintf(err, "strata-dump: %s\n", report.status().to_string().c_str());
    totals.had_io_error = true;
    return;
  }
  std::vector<Finding>& findings = report->findings;
  findings.insert(findings.end(), decode_findings.begin(), decode_findings.end());
  if (options.verify_index) {
    Result<std::vector<Finding>> index_findings = check_indexes(*report, locations);
    if (!index_findings.ok()) {
      std::fprintf(err, "strata-dump: %s\n", index_findings.status().to_string().c_str());
      totals.had_io_error = true;
    } else {
      findings.insert(findings.end(), index_findings->begin(), index_findings->end());
    }
  }
  print_segment_summary(out, *report);
  print_findings(err, findings);
  if (report->last_offset) previous_last_offset = report->last_offset;
  ++totals.segments;
  totals.batches += report->batch_count;
  totals.records += report->record_count;
  totals.findings += static_cast<std::int64_t>(findings.size());
}

}  // namespace

int run_dump(const DumpOptions& options, std::FILE* out, std::FILE* err) {
  std::error_code ec;
  const fs::file_status status = fs::status(options.path, ec);
  std::vector<fs::path> files;
  if (fs::is_directory(status)) {
    Result<std::vector<fs::path>> listed = segments_in(options.path);
    if (!listed.ok()) {
      std::fprintf(err, "strata-dump: %s\n", listed.status().to_string().c_str());
      return kExitIoError;
    }
    files = std::move(listed).value();
  } else if (fs::is_regular_file(status)) {
    files.push_back(options.path);
  } else {
    std::fprintf(err, "strata-dump: %s: %s\n", options.path.c_str(),
                 fs::exists(status) ? "neither a segment file nor a directory"
                                    : "no such file or directory");
    return kExitUsage;
  }

  DumpTotals totals;
  std::optional<Offset> previous_last_offset;
  for (const fs::path& file : files) {
    dump_segment(options, file, previous_last_offset, totals, out, err);
  }
  std::fprintf(out, "total segments=%lld batches=%lld records=%lld findings=%lld\n",
               static_cast<long long>(totals.segments), static_cast<long long>(totals.batches),
               static_cast<long long>(totals.records), static_cast<long long>(totals.findings));
  if (totals.findings > 0) return kExitCorrupt;
  if (totals.had_io_error) return kExitIoError;
  return kExitClean;
}

}  // namespace strata::dump
