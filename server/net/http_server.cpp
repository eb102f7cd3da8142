#include "server/net/http_server.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <csignal>
#include <thread>
#include <vector>

namespace vgls::server {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using protocol::status;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// How long SIGTERM waits for requests in flight before exiting anyway.
constexpr auto drain_limit = std::chrono::seconds(10);
// Kernels clamp this to net.core.somaxconn; ask for plenty so bursts of new connections queue.
constexpr int listen_backlog = 65535;

// Completion handler for co_spawn: a coroutine that escapes with an exception is a bug; log it.
auto log_escape(const char* what) {
  return [what](std::exception_ptr escaped) {
    if (!escaped)
      return;
    try {
      std::rethrow_exception(escaped);
    } catch (const std::exception& e) {
      spdlog::error("{} ended with an unexpected exception: {}", what, e.what());
    } catch (...) {
      spdlog::error("{} ended with an unexpected exception", what);
    }
  };
}

// Warns at most once per second, so a flood of refused connections cannot flood the log.
class throttled_warning {
 public:
  bool due() {
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    auto last = last_.load(std::memory_order_relaxed);
    if (now - last < std::chrono::steady_clock::duration(std::chrono::seconds(1)).count()) {
      return false;
    }
    return last_.compare_exchange_strong(last, now);
  }

 private:
  std::atomic<std::chrono::steady_clock::rep> last_{0};
};

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, std::vector<asio::io_context*> targets,
                                  std::optional<asio::ssl::context>& tls, application& app,
                                  const server_config& config, connection_stats& stats) {
  throttled_warning accept_failed, at_capacity;
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer pause(executor);
  std::size_t next = 0;
  for (;;) {
    // Connections are dealt to the io_contexts in turn; each context is run by one thread, so a
    // connection needs no strand. The target is a named local on purpose: GCC 12 mis-destroys
    // non-trivial temporaries inside a co_await expression.
    asio::io_context& target = *targets[next];
    next = (next + 1) % targets.size();
    auto accepted = co_await acceptor.async_accept(target, use_tuple);
    auto& [ec, socket] = accepted;
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open())
        co_return;
      // Typically EMFILE: out of file descriptors. Keep serving open connections and retry.
      if (accept_failed.due()) {
        spdlog::warn(
            "accepting a connection failed: {}; retrying shortly (if this is 'too many "
            "open files', raise the limit, e.g. LimitNOFILE in the systemd unit)",
            ec.message());
      }
      pause.expires_after(std::chrono::milliseconds(20));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    if (stats.open_connections.load(std::memory_order_relaxed) >= config.max_connections) {
      if (at_capacity.due()) {
        spdlog::warn(
            "at server.max_connections ({}): closing new connections at once until "
            "some close; raise max_connections if clients need more",
            config.max_connections);
      }
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    stats.open_connections.fetch_add(1, std::memory_order_relaxed);
    auto socket_executor = socket.get_executor();
    if (tls) {
      asio::co_spawn(socket_executor, serve_tls(std::move(socket), *tls, app, config, stats),
                     log_escape("a TLS connection"));
    } else {
      asio::co_spawn(socket_executor, serve_plain(std::move(socket), app, config, stats),
                     log_escape("a connection"));
    }
  }
}

// glibc keeps freed memory in its arenas (one per io thread) for reuse; after a burst (a flood
// of connections, large bodies, a long usage report) the process would stay at its peak. Every
// few seconds what is free goes back to the kernel: a pass over a small heap costs microseconds.
asio::awaitable<void> return_free_memory(asio::io_context& io, connection_stats& stats) {
  asio::steady_timer tick(io);
  while (!stats.stopping.load(std::memory_order_relaxed)) {
    tick.expires_after(std::chrono::seconds(5));
    auto [ec] = co_await tick.async_wait(use_tuple);
    if (ec)
      co_return;
    ::malloc_trim(0);
  }
}

}  // namespace

http_server::http_server(application& app, const server_config& config)
    : app_(&app), config_(config), acceptor_(io_) {}

http_server::http_server(const server_config& config) : config_(config), acceptor_(io_) {}

http_server::~http_server() = default;

status http_server::load_tls() {
  if (config_.tls()) {
    tls_.emplace(asio::ssl::context::tls_server);
    tls_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    // TLS 1.2 offers only what server.tls_ciphers lists (default: ECDHE with AEAD ciphers, no
    // static-RSA key exchange, no CBC or SHA-1 suites); the server's order wins.
    if (SSL_CTX_set_cipher_list(tls_->native_handle(), config_.tls_ciphers.c_str()) != 1) {
      return status::invalid("server.tls_ciphers",
                             "server.tls_ciphers: \"" + config_.tls_ciphers +
                                 "\" names no cipher OpenSSL knows; use an OpenSSL cipher list "
                                 "such as the default (docs/server.md)");
    }
    SSL_CTX_set_options(tls_->native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
    boost::system::error_code ec;
    tls_->use_certificate_chain_file(config_.tls_cert->string(), ec);
    if (ec) {
      return status::unavailable("cannot load the TLS certificate " + config_.tls_cert->string() +
                                 " (server.tls_cert): " + ec.message() +
                                 "; it must be a readable PEM file");
    }
    tls_->use_private_key_file(config_.tls_key->string(), asio::ssl::context::pem, ec);
    if (ec) {
      return status::unavailable("cannot load the TLS key " + config_.tls_key->string() +
                                 " (server.tls_key): " + ec.message() +
                                 "; it must be a readable PEM file matching the certificate");
    }
  }
  return status::ok();
}

status http_server::bind() {
  if (auto loaded = load_tls(); !loaded) {
    return loaded;
  }
  const std::string where = config_.listen.to_string();
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(config_.listen.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, config_.listen.port);
  } else {
    tcp::resolver resolver(io_);
    auto found = resolver.resolve(config_.listen.host, std::to_string(config_.listen.port), ec);
    if (ec || found.empty()) {
      return status::unavailable("cannot listen on " + where + ": the host \"" +
                                 config_.listen.host + "\" is not an address this machine has");
    }
    endpoint = found.begin()->endpoint();
  }
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec)
    acceptor_.bind(endpoint, ec);
  if (ec == asio::error::address_in_use) {
    return status::unavailable("cannot listen on " + where +
                               ": the address is in use; stop the other process listening there "
                               "or choose another address with --listen or server.listen");
  }
  if (ec == asio::error::access_denied) {
    return status::unavailable("cannot listen on " + where +
                               ": permission denied; ports below 1024 need privileges");
  }
  if (!ec)
    acceptor_.listen(listen_backlog, ec);
  if (ec)
    return status::unavailable("cannot listen on " + where + ": " + ec.message());
  return {};
}

unsigned short http_server::port() const {
  boost::system::error_code ec;
  auto endpoint = acceptor_.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void http_server::run(unsigned threads) {
  asio::signal_set signals(io_, SIGINT, SIGTERM, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& ec, int signal_number) {
        if (ec)
          return;
        if (signal_number == SIGHUP) {
          spdlog::info("SIGHUP: logs go to stderr (the journal under systemd); nothing to reopen");
          signals.async_wait(on_signal);
          return;
        }
        begin_shutdown(signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
      };
  signals.async_wait(on_signal);

  std::vector<asio::io_context*> targets{&io_};
  for (unsigned i = 1; i < threads; ++i) {
    more_io_.push_back(std::make_unique<asio::io_context>(1));
    targets.push_back(more_io_.back().get());
  }
  // Keeps the other contexts running while they have no connection.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  for (auto& io : more_io_)
    keep_running.push_back(asio::make_work_guard(*io));

  asio::co_spawn(io_, accept_loop(acceptor_, targets, tls_, *app_, config_, stats_),
                 log_escape("the accept loop"));
  asio::co_spawn(io_, return_free_memory(io_, stats_), log_escape("returning free memory"));

  std::vector<std::thread> pool;
  for (auto& io : more_io_)
    pool.emplace_back([context = io.get()] { context->run(); });
  io_.run();
  // io_ stops only at the end of shutdown (or by stop_contexts()); the others follow it.
  stop_contexts();
  for (auto& t : pool)
    t.join();
  boost::system::error_code ignored;
  signals.cancel(ignored);
}

void http_server::stop() {
  begin_shutdown("a stop request");
}

void http_server::stop_contexts() {
  io_.stop();
  for (auto& io : more_io_)
    io->stop();
}

void http_server::begin_shutdown(const char* reason) {
  if (shutdown_started_.exchange(true))
    return;
  asio::post(io_, [this, reason] {
    spdlog::info("{}: no longer accepting connections; finishing {} request(s) in flight", reason,
                 stats_.requests_in_flight.load());
    stats_.stopping.store(true);
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    asio::co_spawn(
        io_,
        [this]() -> asio::awaitable<void> {
          asio::steady_timer tick(io_);
          const auto deadline = std::chrono::steady_clock::now() + drain_limit;
          while (stats_.requests_in_flight.load() > 0 &&
                 std::chrono::steady_clock::now() < deadline) {
            tick.expires_after(std::chrono::milliseconds(10));
            co_await tick.async_wait(use_tuple);
          }
          if (auto left = stats_.requests_in_flight.load(); left > 0) {
            spdlog::warn("{} request(s) still in flight after {} s; stopping anyway", left,
                         drain_limit.count());
          }
          stop_contexts();
        },
        log_escape("shutdown"));
  });
}

}  // namespace vgls::server
