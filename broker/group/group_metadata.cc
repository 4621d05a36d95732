#include "broker/group/group_metadata.h"

#include "common/endian.h"
#include "common/status.h"

namespace strata::broker {
namespace {

constexpr std::uint16_t kVersion = 0;

template <typename T>
void put_int(std::string& out, T value) {
  char bytes[sizeof(T)];
  store_be<T>(reinterpret_cast<std::byte*>(bytes), value);
  out.append(bytes, sizeof(T));
}

void put_string(std::string& out, std::string_view s) {
  put_int<std::int32_t>(out, static_cast<std::int32_t>(s.size()));
  out.append(s);
}

// Reads from a byte string, checking the remaining length before each read.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : rest_(bytes) {}

  template <typename T>
  bool get_int(T& out) {
    if (rest_.size() < sizeof(T)) return false;
    out = load_be<T>(reinterpret_cast<const std::byte*>(rest_.data()));
    rest_.remove_prefix(sizeof(T));
    return true;
  }
  bool get_string(std::string& out) {
    std::int32_t size = 0;
    if (!get_int(size) || size < 0 || static_cast<std::size_t>(size) > rest_.size()) return false;
    out.assign(rest_.substr(0, static_cast<std::size_t>(size)));
    rest_.remove_prefix(static_cast<std::size_t>(size));
    return true;
  }
  bool empty() const { return rest_.empty(); }
  std::size_t remaining() const { return rest_.size(); }

 private:
  std::string_view rest_;
};

}  // namespace

std::string encode_group_metadata(const GroupMetadataRecord& record) {
  std::string out;
  put_int<std::uint16_t>(out, kVersion);
  put_int<std::int32_t>(out, record.generation_id);
  put_string(out, record.protocol_type);
  put_string(out, record.protocol_name);
  put_string(out, record.leader_id);
  put_int<std::int32_t>(out, static_cast<std::int32_t>(record.members.size()));
  for (const auto& m : record.members) {
    put_string(out, m.member_id);
    put_string(out, m.client_id);
    put_string(out, m.client_host);
    put_int<std::int32_t>(out, m.session_timeout_ms);
    put_int<std::int32_t>(out, m.rebalance_timeout_ms);
    put_string(out, m.subscription);
    put_string(out, m.assignment);
  }
  return out;
}

Result<GroupMetadataRecord> decode_group_metadata(std::string_view bytes) {
  Cursor in(bytes);
  GroupMetadataRecord record;
  std::uint16_t version = 0;
  std::int32_t count = 0;
  if (!in.get_int(version)) return corruption_error("group metadata: truncated version");
  if (version != kVersion) {
    return corruption_error("group metadata: unknown version " + std::to_string(version));
  }
  if (!in.get_int(record.generation_id) || !in.get_string(record.protocol_type) ||
      !in.get_string(record.protocol_name) || !in.get_string(record.leader_id) ||
      !in.get_int(count) || count < 0) {
    return corruption_error("group metadata: truncated header");
  }
  // Each member takes at least 28 bytes: bounds the loop by the input.
  if (static_cast<std::size_t>(count) > in.remaining() / 28) {
    return corruption_error("group metadata: member count " + std::to_string(count) +
                            " exceeds the record");
  }
  for (std::int32_t i = 0; i < count; ++i) {
    GroupMetadataRecord::Member m;
    if (!in.get_string(m.member_id) || !in.get_string(m.client_id) ||
        !in.get_string(m.client_host) || !in.get_int(m.session_timeout_ms) ||
        !in.get_int(m.rebalance_timeout_ms) || !in.get_string(m.subscription) ||
        !in.get_string(m.assignment)) {
      return corruption_error("group metadata: truncated member " + std::to_string(i));
    }
    record.members.push_back(std::move(m));
  }
  if (!in.empty()) return corruption_error("group metadata: trailing bytes");
  return record;
}

}  // namespace strata::broker
