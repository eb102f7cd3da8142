// A plain TCP connection to 127.0.0.1 for tests that must send what no HTTP client would: random
// bytes, half a request, a stalled body. Blocking, with a receive timeout. Not thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace vgls::testing {

class raw_socket {
 public:
  // Throws std::runtime_error when the connection cannot be made.
  explicit raw_socket(int port);
  ~raw_socket();
  raw_socket(const raw_socket&) = delete;
  raw_socket& operator=(const raw_socket&) = delete;

  // False when the peer has closed (or the send failed).
  bool send(std::string_view bytes);

  // Ends the sending side (shutdown SHUT_WR): the peer reads end-of-stream after what was sent.
  void finish_sending();

  // Everything received until the peer closes or `timeout` passes without new bytes.
  std::string read_until_close(std::chrono::milliseconds timeout);

  // True when the peer closed the connection within `timeout` (reads and discards what comes).
  bool closed_by_peer(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
};

}  // namespace vgls::testing
