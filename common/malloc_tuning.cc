#include "common/malloc_tuning.h"

#include <malloc.h>

namespace strata {

void keep_io_buffers_in_heap() {
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
}

}  // namespace strata
