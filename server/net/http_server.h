// The network side of vglsd: binds the listening socket, accepts connections (plain or TLS) up to
// server.max_connections, runs the io threads, and stops gracefully on SIGTERM/SIGINT: stop
// accepting, finish the requests in flight (bounded), then return from run().
//
// Thread-safety: bind() and run() are called once, from main. stop() may be called from any
// thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/status.h"
#include "server/app/application.h"
#include "server/config/server_config.h"
#include "server/net/connection.h"

namespace vgls::server {

class http_server {
 public:
  http_server(application& app, const server_config& config);
  // Without the application yet, so that the port is bound before anything is made on disk;
  // attach() it before run().
  explicit http_server(const server_config& config);
  void attach(application& app) { app_ = &app; }
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Loads the TLS certificate (when configured) and binds the listen address. The error says
  // which address or file failed and what to do.
  protocol::status bind();

  // Only the TLS part of bind(): the cipher list, certificate and key (nothing without TLS).
  // --check-config runs it, so that a file a start would refuse fails the check too.
  protocol::status load_tls();

  // Accepts and serves until a stop signal; returns after in-flight requests are answered (or
  // after a bound of 10 seconds). Uses `threads` io threads including the caller's, each running
  // an io_context of its own; accepted connections are dealt to the contexts in turn.
  void run(unsigned threads);

  // As if SIGTERM had arrived.
  void stop();

  // The bound port (useful when the configuration asked for port 0).
  unsigned short port() const;

 private:
  void begin_shutdown(const char* reason);
  void stop_contexts();

  // Members are destroyed in reverse order, and destroying an io_context destroys the connections
  // and operations still queued on it. So what connections use (stats_, tls_) is declared before
  // every context, and more_io_ before io_: the acceptor's pending operation on io_ owns a socket
  // already opened on one of more_io_'s contexts.
  application* app_ = nullptr;
  const server_config& config_;
  connection_stats stats_;
  std::atomic<bool> shutdown_started_{false};
  std::optional<boost::asio::ssl::context> tls_;
  // The other io threads' contexts (threads - 1 of them), created by run().
  std::vector<std::unique_ptr<boost::asio::io_context>> more_io_;
  // The first io_context: the acceptor, signals and shutdown live here, and it serves
  // connections like the others. Run by the thread that calls run().
  boost::asio::io_context io_{1};
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace vgls::server
