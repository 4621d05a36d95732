#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace strata {

namespace detail {
template <typename U>
constexpr U byteswap(U u) {
  if constexpr (sizeof(U) == 2) return static_cast<U>(__builtin_bswap16(u));
  else if constexpr (sizeof(U) == 4) return static_cast<U>(__builtin_bswap32(u));
  else return static_cast<U>(__builtin_bswap64(u));
}

}  // namespace detail

// Big-endian (network order) loads and stores, as Kafka's formats use.
// Callers check bounds first; these never do.
template <typename T>
  requires std::is_integral_v<T>
T load_be(const std::byte* p) {
  std::make_unsigned_t<T> u;
  std::memcpy(&u, p, sizeof(u));
  if constexpr (std::endian::native == std::endian::little && sizeof(T) > 1) u = detail::byteswap(u);
  return static_cast<T>(u);
}

template <typename T>
  requires std::is_integral_v<T>
void store_be(std::byte* p, T value) {
  auto u = static_cast<std::make_unsigned_t<T>>(value);
  if constexpr (std::endian::native == std::endian::little && sizeof(T) > 1) u = detail::byteswap(u);
  std::memcpy(p, &u, sizeof(u));
}

}  // namespace strata
