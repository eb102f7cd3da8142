// One client connection: reads requests (keep-alive, one at a time), hands each to the
// application, writes its answer. Only moves bytes; every decision is the application's.
//
// Limits: the head may be at most 16 KiB; a body at most server.max_body_bytes (else 413 and the
// connection closes); a whole request must arrive within server.request_timeout, which is also
// how long an idle keep-alive connection is kept. Garbage on the socket gets 400 and a close.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>

#include "server/app/application.h"
#include "server/config/server_config.h"

namespace vgls::server {

// Shared by the listener, the connections and shutdown.
struct connection_stats {
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::size_t> requests_in_flight{0};
  std::atomic<bool> stopping{false};  // answers say Connection: close; no new requests are read
};

// An accepted socket, bound to the io_context (and so the io thread) that serves it. Each
// io_context is run by exactly one thread, so a connection needs no strand.
using connection_socket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

// Serves one accepted socket until the peer closes, a deadline passes, or the server stops.
// Runs on the socket's io_context (one thread). Errors are logged, never thrown. The listener has
// counted the connection in stats.open_connections; the connection gives it back when it ends.
boost::asio::awaitable<void> serve_plain(connection_socket socket, application& app,
                                         const server_config& config, connection_stats& stats);
boost::asio::awaitable<void> serve_tls(connection_socket socket, boost::asio::ssl::context& tls,
                                       application& app, const server_config& config,
                                       connection_stats& stats);

}  // namespace vgls::server
