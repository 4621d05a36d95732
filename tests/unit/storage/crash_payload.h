#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/ids.h"
#include "common/record_batch.h"
#include "tests/unit/storage/test_batches.h"

namespace strata::storage::testing {

// The options of the crash appender's log (small segments: several rolls per run).
inline LogOptions crash_log_options() {
  LogOptions options;
  options.segment_bytes = 64 * 1024;
  options.index_interval_bytes = 512;
  return options;
}

// The batch the crash appender writes at `base`: everything derives from the
// offset, so the parent can rebuild it byte for byte.
inline std::int32_t crash_records(Offset base) {
  return static_cast<std::int32_t>(1 + base.value() % 4);
}
inline Buffer crash_batch(Offset base) {
  Buffer b = make_batch(crash_records(base),
                        static_cast<std::size_t>(16 + (base.value() * 37) % 1500),
                        1'700'000'000'000 + base.value(), static_cast<std::uint64_t>(base.value()));
  set_base_offset(b, base);
  return b;
}

}  // namespace strata::storage::testing
