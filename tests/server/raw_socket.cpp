#include "tests/server/raw_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace vgls::testing {

raw_socket::raw_socket(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect() to 127.0.0.1:" + std::to_string(port) + " failed");
  }
}

raw_socket::~raw_socket() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool raw_socket::send(std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void raw_socket::finish_sending() {
  ::shutdown(fd_, SHUT_WR);
}

std::string raw_socket::read_until_close(std::chrono::milliseconds timeout) {
  std::string received;
  char buffer[4096];
  while (true) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0)
      break;
    auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0)
      break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  return received;
}

bool raw_socket::closed_by_peer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      return false;
    auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0)
      return true;
  }
}

}  // namespace vgls::testing
