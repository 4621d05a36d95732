#include "tests/integration/kafka_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "common/endian.h"

namespace strata::testing {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

// Reads exactly `n` bytes into `out` by `deadline`; false on EOF, error, timeout.
bool read_exact(int fd, std::byte* out, std::size_t n, Clock::time_point deadline) {
  std::size_t got = 0;
  while (got < n) {
    pollfd p{fd, POLLIN, 0};
    const int ms = remaining_ms(deadline);
    if (ms == 0) return false;
    if (::poll(&p, 1, ms) <= 0) continue;
    const ssize_t r = ::recv(fd, out + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

}  // namespace

KafkaClient::~KafkaClient() { close(); }

bool KafkaClient::connect(const std::string& address) {
  close();
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
  if (inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr) != 1) return false;
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return false;
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close();
    return false;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return true;
}

void KafkaClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool KafkaClient::send_raw(ByteSpan bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::size_t KafkaClient::send_some(ByteSpan bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n =
        ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  return sent;
}

void KafkaClient::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

std::optional<Buffer> KafkaClient::read_frame(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::byte prefix[4];
  if (fd_ < 0 || !read_exact(fd_, prefix, 4, deadline)) return std::nullopt;
  const std::int32_t size = load_be<std::int32_t>(prefix);
  if (size < 0 || size > (256 << 20)) return std::nullopt;
  Buffer frame(static_cast<std::size_t>(size));
  if (!read_exact(fd_, frame.data(), frame.size(), deadline)) return std::nullopt;
  return frame;
}

bool KafkaClient::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::byte sink[65536];
  while (fd_ >= 0) {
    pollfd p{fd_, POLLIN, 0};
    const int ms = remaining_ms(deadline);
    if (ms == 0) return false;
    if (::poll(&p, 1, ms) <= 0) continue;
    const ssize_t r = ::recv(fd_, sink, sizeof(sink), 0);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) return true;
  }
  return true;
}

}  // namespace strata::testing
