#pragma once

// How strata-dump prints records: one line each, binary bytes escaped so
// the output stays one printable line per record whatever the payload.

#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/record.h"

namespace strata::dump {

// `bytes` in double quotes: printable ASCII as is, `"` and `\` escaped with
// a backslash, \n \r \t by name, every other byte as \xHH.
std::string quote_bytes(ByteSpan bytes);

// quote_bytes() of the value, or `null` when there is none.
std::string quote_nullable(const std::optional<Buffer>& bytes);

// offset=5 timestamp=1700000000000 key="k" value="v" headers=["h"="x", "g"=null]
std::string format_record(const Record& record);

}  // namespace strata::dump
