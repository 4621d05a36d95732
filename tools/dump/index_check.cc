#include "tools/dump/index_check.h"

namespace strata::dump {

Result<std::vector<Finding>> check_indexes(const SegmentReport&) {
  return unsupported_error("--verify-index: the index formats are not documented yet");
}

}  // namespace strata::dump
