// The child process of crash_test.cc: appends deterministic batches to a
// durable log through a Flusher and writes the end offset of every
// acknowledged (fdatasynced) batch to stdout as 8 raw bytes, until it is
// killed or has appended `max_appends` batches.
//
// Usage: storage_crash_appender <partition-dir> <max-appends>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "storage/flusher.h"
#include "storage/partition_log.h"
#include "tests/unit/storage/crash_payload.h"

int main(int argc, char** argv) {
  using namespace strata;
  using namespace strata::storage;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <dir> <max-appends>\n", argv[0]);
    return 2;
  }
  const long max_appends = std::atol(argv[2]);
  Flusher flusher;
  flusher.start();
  auto opened = PartitionLog::open(argv[1], testing::crash_log_options(), &flusher);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().to_string().c_str());
    return 1;
  }
  std::unique_ptr<PartitionLog> log = std::move(opened).value();
  for (long i = 0; i < max_appends; ++i) {
    Offset base = log->log_end_offset();
    Buffer batch = testing::crash_batch(base);
    auto r = log->append(batch, [end = base.value() + testing::crash_records(base)](Status st) {
      if (!st.ok()) return;
      std::int64_t value = end;
      // The parent counts a batch as acknowledged only once this lands.
      if (::write(STDOUT_FILENO, &value, sizeof(value)) != sizeof(value)) std::_Exit(3);
    });
    if (!r.ok()) {
      std::fprintf(stderr, "append: %s\n", r.status().to_string().c_str());
      return 1;
    }
  }
  return log->close().ok() ? 0 : 1;
}
