#include "bench/vgls_bench/bench_connection.h"

#include <netinet/in.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

namespace vgls::bench {
namespace {

namespace http = boost::beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif
using bind_address_no_port =
    asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>;

// Answers of the benchmark routes are small; this only guards against a runaway body.
constexpr std::uint64_t body_limit = 64 * 1024 * 1024;

}  // namespace

bench_connection::bench_connection(asio::any_io_executor executor,
                                   std::chrono::milliseconds timeout)
    : stream_(std::move(executor)), timeout_(timeout) {}

asio::awaitable<boost::system::error_code> bench_connection::connect(
    const asio::ip::tcp::endpoint& server, const std::optional<asio::ip::address>& source) {
  close();
  boost::system::error_code ec;
  auto& socket = stream_.socket();
  if (source) {
    socket.open(server.protocol(), ec);
    if (ec)
      co_return ec;
    // Best effort: without it (old kernels) bind() picks the port and ports run out sooner.
    boost::system::error_code ignored;
    socket.set_option(bind_address_no_port(true), ignored);
    socket.bind(asio::ip::tcp::endpoint(*source, 0), ec);
    if (ec) {
      close();
      co_return ec;
    }
  }
  stream_.expires_after(timeout_);
  auto [connect_ec] = co_await stream_.async_connect(server, use_tuple);
  if (connect_ec) {
    close();
    co_return connect_ec;
  }
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  co_return boost::system::error_code{};
}

asio::awaitable<exchange_result> bench_connection::exchange(const std::string& request) {
  exchange_result result;
  stream_.expires_after(timeout_);
  auto [write_ec, written] = co_await asio::async_write(stream_, asio::buffer(request), use_tuple);
  if (write_ec) {
    result.error = write_ec;
    close();
    co_return result;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  auto [read_ec, read] = co_await http::async_read(stream_, buffer_, parser, use_tuple);
  if (read_ec) {
    result.error = read_ec;
    close();
    co_return result;
  }
  auto& answer = parser.get();
  result.status = answer.result_int();
  result.keep_alive = answer.keep_alive();
  result.body = std::move(answer.body());
  if (!result.keep_alive)
    close();
  co_return result;
}

void bench_connection::close() {
  boost::system::error_code ignored;
  stream_.socket().close(ignored);
  buffer_.clear();
}

}  // namespace vgls::bench
