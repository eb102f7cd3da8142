#include "server/net/connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <optional>
#include <string_view>
#include <type_traits>

#include "server/http/responses.h"
#include "server/net/response_serializer.h"

namespace vgls::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

using transport_stream = beast::basic_stream<tcp, asio::io_context::executor_type>;

using request_parser = http::request_parser<http::string_body>;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t max_header_bytes = 16 * 1024;
constexpr std::size_t max_kept_answer_bytes = 64 * 1024;
// What one connection may hold of bytes read but not yet parsed, and keep of its read buffer
// between requests.
constexpr std::size_t max_buffered_bytes = 256 * 1024;
constexpr std::size_t max_kept_read_bytes = 16 * 1024;

// Most failures on a socket are a peer going away or being slow; those are not worth an
// operator's attention. Anything else is logged so it can be investigated.
void fail(beast::error_code ec, const char* what, const std::string& peer) {
  if (ec == asio::error::operation_aborted || ec == asio::error::eof ||
      ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
      ec == asio::ssl::error::stream_truncated) {
    spdlog::debug("connection from {}: {}: {}", peer, what, ec.message());
    return;
  }
  spdlog::info("connection from {}: {} failed: {}; closing it", peer, what, ec.message());
}

// A parse error of Beast's (bad chunk, bad header, over a limit), as opposed to the peer going
// away in the middle of a message: worth a 400 before hanging up.
bool is_malformed_http(beast::error_code ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// Decrements a counter when a request's handling ends, however it ends.
class in_flight_guard {
 public:
  explicit in_flight_guard(std::atomic<std::size_t>& counter) : counter_(counter) {
    counter_.fetch_add(1, std::memory_order_relaxed);
  }
  ~in_flight_guard() { counter_.fetch_sub(1, std::memory_order_relaxed); }
  in_flight_guard(const in_flight_guard&) = delete;
  in_flight_guard& operator=(const in_flight_guard&) = delete;

 private:
  std::atomic<std::size_t>& counter_;
};

// Releases the connection slot the listener took for this socket.
class connection_slot {
 public:
  explicit connection_slot(std::atomic<std::size_t>& counter) : counter_(counter) {}
  ~connection_slot() { counter_.fetch_sub(1, std::memory_order_relaxed); }
  connection_slot(const connection_slot&) = delete;
  connection_slot& operator=(const connection_slot&) = delete;

 private:
  std::atomic<std::size_t>& counter_;
};

// Hands the kernel as much of `bytes` as it takes now, without waiting: an answer of a few
// hundred bytes nearly always fits the socket's send buffer, and then costs no trip through the
// io_context. Returns what is left; `ec` is set only for a real failure. A TLS stream has no such
// shortcut (its records are written by the stream), so nothing is sent here.
template <class Stream>
std::string_view send_now(Stream& stream, std::string_view bytes, beast::error_code& ec) {
  if constexpr (std::is_same_v<Stream, transport_stream>) {
    while (!bytes.empty()) {
      const std::size_t sent =
          stream.socket().write_some(asio::const_buffer(bytes.data(), bytes.size()), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) {
        ec = {};
        break;
      }
      if (ec)
        break;
      bytes.remove_prefix(sent);
    }
  }
  return bytes;
}

// Writes all of `bytes`: first what the socket takes at once, then the rest awaited. The awaited
// part runs under the transport's deadline, renewed first when `renew_deadline` is set.
template <class Stream>
asio::awaitable<beast::error_code> write_all(
    Stream& stream, transport_stream& transport, std::string_view bytes,
    std::optional<std::chrono::steady_clock::duration> renew_deadline) {
  beast::error_code ec;
  const std::string_view rest = send_now(stream, bytes, ec);
  if (ec || rest.empty())
    co_return ec;
  if (renew_deadline)
    transport.expires_after(*renew_deadline);
  auto [write_ec, written] =
      co_await asio::async_write(stream, asio::const_buffer(rest.data(), rest.size()), use_tuple);
  co_return write_ec;
}

std::string_view view(beast::string_view s) {
  return {s.data(), s.size()};
}

// Parses the part of the body that arrived with the head, as http::async_read would first do,
// but without a trip through the io_context: a small body nearly always comes in the same
// segment as its head. Returns the parser's error, except need_more (the rest is still to come).
beast::error_code parse_buffered_body(request_parser& parser, beast::flat_buffer& buffer) {
  beast::error_code ec;
  parser.eager(true);
  while (!parser.is_done() && buffer.size() != 0) {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == http::error::need_more)
      return {};
    if (ec || used == 0)
      break;
  }
  return ec;
}

template <class Stream>
asio::awaitable<void> serve_requests(Stream& stream, transport_stream& transport,
                                     const std::string& peer, application& app,
                                     const server_config& config, connection_stats& stats) {
  // Bounded: a head over max_header_bytes is refused by the parser and a body is moved into the
  // request as it arrives, so only pipelined requests queue here; past the bound the read fails
  // (answered 400) instead of the buffer growing with whatever a peer sends.
  beast::flat_buffer buffer(max_buffered_bytes);
  // Every answer is serialized here; its capacity is kept from one request to the next.
  std::string out;
  while (!stats.stopping.load(std::memory_order_relaxed)) {
    // A fresh parser per message: limits and state never leak from one request to the next.
    request_parser parser;
    parser.header_limit(max_header_bytes);
    // The body limit is applied after the route and auth checks, so that a request to a
    // wrong route with a large body still gets 404 (SPEC order of checks).
    parser.body_limit(boost::none);
    transport.expires_after(config.request_timeout);
    auto [ec, bytes] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    if (ec) {
      if (is_malformed_http(ec)) {
        // Not HTTP, or not HTTP we accept: say so once, then hang up.
        serialize_response(error_response(protocol::status::invalid(
                               {}, "malformed HTTP request: " + ec.message())),
                           11, false, out);
        co_await write_all(stream, transport, out, std::nullopt);
      }
      fail(ec, "reading a request", peer);
      break;
    }
    auto& req = parser.get();
    if (req.find(http::field::transfer_encoding) != req.end() && !parser.chunked()) {
      // RFC 9112 §6.3: a request whose last transfer coding is not chunked has no knowable
      // length; reading on would take its body for the next request. Answer 400 and hang up.
      serialize_response(error_response(protocol::status::invalid(
                             {}, "malformed HTTP request: Transfer-Encoding must end in chunked")),
                         req.version(), false, out);
      co_await write_all(stream, transport, out, std::nullopt);
      break;
    }
    in_flight_guard in_flight(stats.requests_in_flight);
    incoming_request request;
    request.method = view(req.method_string());
    request.target = view(req.target());
    if (auto it = req.find(http::field::authorization); it != req.end()) {
      request.authorization = view(it->value());
    }
    if (auto it = req.find(http::field::content_type); it != req.end()) {
      request.content_type = view(it->value());
    }
    request.remote_address = peer;

    admission admitted = app.admit(request);
    outgoing_response answer;
    if (admitted.rejection) {
      answer = std::move(*admitted.rejection);
      // An unread body would be taken for the next request.
      if (!parser.is_done())
        answer.close_connection = true;
    } else {
      bool too_large = false;
      std::optional<beast::error_code> malformed_body;
      if (!parser.is_done()) {
        if (auto length = parser.content_length(); length && *length > config.max_body_bytes) {
          too_large = true;
        } else {
          if (beast::iequals(req[http::field::expect], "100-continue")) {
            // curl and others wait for this before sending a body larger than about 1 KiB.
            serialize_continue(req.version(), out);
            const beast::error_code continue_ec =
                co_await write_all(stream, transport, out, std::nullopt);
            if (continue_ec) {
              fail(continue_ec, "writing 100 Continue", peer);
              break;
            }
          }
          parser.body_limit(config.max_body_bytes);
          beast::error_code body_ec = parse_buffered_body(parser, buffer);
          if (!body_ec && !parser.is_done()) {
            auto [read_ec, body_bytes] =
                co_await http::async_read(stream, buffer, parser, use_tuple);
            body_ec = read_ec;
          }
          if (body_ec == http::error::body_limit) {
            too_large = true;
          } else if (body_ec && is_malformed_http(body_ec)) {
            malformed_body =
                body_ec;  // e.g. a bad chunk size: answered, then the connection closes
          } else if (body_ec) {
            fail(body_ec, "reading a request body", peer);
            break;
          }
        }
      }
      if (too_large) {
        answer = app.body_too_large(admitted);
      } else if (malformed_body) {
        answer = error_response(protocol::status::invalid(
            {}, "malformed HTTP request body: " + malformed_body->message()));
        answer.close_connection = true;
      } else {
        request.body = req.body();
        answer = co_await app.handle(admitted);
      }
    }
    app.record(admitted, answer.status);
    spdlog::debug("{} {} {} → {}", peer, request.method, request.target, answer.status);

    const bool keep_alive = req.keep_alive() && !answer.close_connection &&
                            !stats.stopping.load(std::memory_order_relaxed);
    serialize_response(answer, req.version(), keep_alive, out);
    const beast::error_code write_ec =
        co_await write_all(stream, transport, out, config.request_timeout);
    if (write_ec) {
      fail(write_ec, "writing an answer", peer);
      break;
    }
    // A rare large answer (a long event list, the status page) should not stay allocated for
    // as long as its connection idles.
    if (out.capacity() > max_kept_answer_bytes)
      std::string().swap(out);
    if (buffer.size() == 0 && buffer.capacity() > max_kept_read_bytes)
      buffer.shrink_to_fit();
    if (!keep_alive)
      break;
  }
}

std::string peer_of(const connection_socket& socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : endpoint.address().to_string();
}

}  // namespace

asio::awaitable<void> serve_plain(connection_socket socket, application& app,
                                  const server_config& config, connection_stats& stats) {
  connection_slot slot(stats.open_connections);
  const std::string peer = peer_of(socket);
  socket.set_option(tcp::no_delay(true));
  // Answers are first sent without waiting (send_now); a full socket buffer must then say
  // would_block instead of blocking the io thread.
  socket.non_blocking(true);
  transport_stream stream(std::move(socket));
  co_await serve_requests(stream, stream, peer, app, config, stats);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> serve_tls(connection_socket socket, asio::ssl::context& tls, application& app,
                                const server_config& config, connection_stats& stats) {
  connection_slot slot(stats.open_connections);
  const std::string peer = peer_of(socket);
  socket.set_option(tcp::no_delay(true));
  beast::ssl_stream<transport_stream> stream(transport_stream(std::move(socket)), tls);
  auto& transport = beast::get_lowest_layer(stream);
  transport.expires_after(config.request_timeout);
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
  if (ec) {
    fail(ec, "TLS handshake", peer);
    co_return;
  }
  co_await serve_requests(stream, transport, peer, app, config, stats);
  transport.expires_after(std::chrono::seconds(5));
  auto [shutdown_ec] = co_await stream.async_shutdown(use_tuple);
  if (shutdown_ec)
    fail(shutdown_ec, "TLS shutdown", peer);
}

}  // namespace vgls::server
