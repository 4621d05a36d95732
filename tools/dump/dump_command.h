#pragma once

// The body of strata-dump: scans a partition directory or one segment file
// and prints what it holds. main.cc parses flags and calls run_dump().

#include <cstdio>
#include <filesystem>

namespace strata::dump {

// strata-dump's exit codes.
inline constexpr int kExitClean = 0;     // every file read and nothing damaged
inline constexpr int kExitCorrupt = 1;   // damage found (details on stderr)
inline constexpr int kExitUsage = 2;     // bad flags, or a path that is no segment or directory
inline constexpr int kExitIoError = 3;   // a file could not be read

struct DumpOptions {
  // A partition directory (every *.log in it, by name) or one segment file.
  std::filesystem::path path;
  // A line per batch: position, offsets, size, codec, leader epoch, verdict.
  bool print_batches = false;
  // A line per record, under its batch.
  bool print_records = false;
  // Check each segment's .index and .timeindex against the log.
  bool verify_index = false;
};

// Runs one dump: the report goes to `out`, each piece of damage to `err` as
// "<file>: byte <position>: <what>". Returns one of the kExit* codes.
int run_dump(const DumpOptions& options, std::FILE* out, std::FILE* err);

}  // namespace strata::dump
