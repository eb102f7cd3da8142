// One HTTP/1.1 connection of the load generator: connect (optionally from a chosen loopback source
// address), then one request at a time, each bounded by the timeout. Errors are values. Used by
// one coroutine at a time on one io_context; not thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace vgls::bench {

namespace asio = boost::asio;

struct exchange_result {
  boost::system::error_code error;  // a transport failure: status and body mean nothing then
  int status = 0;
  std::string body;
  bool keep_alive = true;  // false: the server closes after this answer; reconnect
};

class bench_connection {
 public:
  bench_connection(asio::any_io_executor executor, std::chrono::milliseconds timeout);
  bench_connection(const bench_connection&) = delete;
  bench_connection& operator=(const bench_connection&) = delete;

  // (Re)connects to `server`. With a `source` address the socket is bound to it first, the port
  // left to connect() (IP_BIND_ADDRESS_NO_PORT), so every source address has its own range of
  // ephemeral ports.
  asio::awaitable<boost::system::error_code> connect(
      const asio::ip::tcp::endpoint& server, const std::optional<asio::ip::address>& source);

  // Writes `request` (complete HTTP text) and reads one answer.
  asio::awaitable<exchange_result> exchange(const std::string& request);

  bool is_open() const { return stream_.socket().is_open(); }
  void close();

 private:
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::chrono::milliseconds timeout_;
};

}  // namespace vgls::bench
