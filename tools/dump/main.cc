// strata-dump: reads a partition's segment files offline and verifies them.

#include <cstdio>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/dump/dump_command.h"

namespace {

constexpr const char* kFooter = R"(Output (stdout), one line per segment and a total:
  segment file=<path> base_offset=<n> size_bytes=<n> batches=<n> records=<n>
          offsets=<first>..<last> first_max_timestamp=<ms> last_max_timestamp=<ms>
          crc=ok|failed(<n>) truncated=yes|no
  total segments=<n> batches=<n> records=<n> findings=<n>
Damage goes to stderr as
  strata-dump: corruption: <file>: byte <position>: <what>

Exit status:
  0  every segment read and nothing damaged
  1  damage found: bad CRC, truncated batch, offsets going backwards, bad index
  2  usage error: bad flags, or PATH is neither a segment file nor a directory
  3  a file could not be read)";

}  // namespace

int main(int argc, char** argv) {
  strata::dump::DumpOptions options;
  std::string path;
  CLI::App app(
      "Reads Strata segment files (Kafka RecordBatch v2) straight from disk, without opening "
      "the log, and reports each segment's offsets, counts, timestamps and damage.",
      "strata-dump");
  app.add_option("path", path, "A partition directory (every *.log in it) or one segment file")
      ->required();
  app.add_flag("--batches", options.print_batches,
               "Print one line per batch: position, offsets, size, leader epoch, producer id, "
               "epoch and base sequence, codec, CRC");
  app.add_flag("--records", options.print_records,
               "Print every record (offset, timestamp, key, value, headers; binary escaped); "
               "implies --batches");
  app.add_flag("--verify-index", options.verify_index,
               "Check each segment's .index and .timeindex against its .log");
  app.footer(kFooter);

  // CLI11 reports through exceptions; they stop here.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : strata::dump::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strata-dump: %s\n", e.what());
    return strata::dump::kExitUsage;
  }
  options.path = path;
  return strata::dump::run_dump(options, stdout, stderr);
}
