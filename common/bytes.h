#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

// Borrowed bytes: valid as long as whatever they point into.
using ByteSpan = std::span<const std::byte>;
// Owned bytes. The one buffer type passed between modules.
using Buffer = std::vector<std::byte>;

inline ByteSpan as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
inline std::string_view as_string_view(ByteSpan b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
// One copy: sizing the vector first would zero-fill it before the copy.
inline Buffer to_buffer(std::string_view s) {
  const ByteSpan bytes = as_bytes(s);
  return Buffer(bytes.begin(), bytes.end());
}
inline void append(Buffer& out, ByteSpan b) { out.insert(out.end(), b.begin(), b.end()); }

// What a log read may fill: a Buffer, or a std::string when the bytes go into
// a protobuf bytes field, which takes a std::string by move instead of copying.
template <typename T>
concept ReadBytes = std::same_as<T, Buffer> || std::same_as<T, std::string>;

template <ReadBytes T>
std::span<std::byte> writable_bytes(T& bytes) {
  return {reinterpret_cast<std::byte*>(bytes.data()), bytes.size()};
}
template <ReadBytes T>
ByteSpan bytes_of(const T& bytes) {
  return {reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()};
}

}  // namespace strata
