// beast-ceiling: the smallest Boost.Beast HTTP/1.1 server, answering 200 with "{}" to every
// request on keep-alive connections. What it serves per second on this machine is the ceiling of
// the HTTP path vglsd is built on: vgls cycles/s against it shows what the rest of the server
// costs.
//
// With --lease-answers it answers the lease routes the way vglsd does, with canned answers of the
// same size and no work behind them: 201 and a lease to POST /v1/leases, 200 and the lease to a
// renew, 204 to a DELETE. The cycle drivers (vgls_cycle.lua, vgls-bench cycle) then run their full
// check out -> renew -> release loop against it, which measures what the driver and the kernel
// alone leave of the machine for a license server.
//   beast-ceiling [--listen 127.0.0.1:7071] [--threads 2] [--lease-answers]
#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

void log_exception(std::exception_ptr error) {
  if (!error)
    return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    std::cerr << "beast-ceiling: " << e.what() << "\n";
  }
}

// A lease answer shaped and sized as vglsd writes it (341 bytes of body).
constexpr std::string_view canned_lease =
    R"({"lease":{"client_id":"bench-1-1","edition":"vWS","expires_at":"2026-11-25T08:02:40Z",)"
    R"("hostname":"bench","id":"lse_ykcQRuZBkRUdYrmpvlQ2v-An","issued_at":"2026-11-24T08:02:40Z",)"
    R"("labels":{},"pool_id":"bench-vws","renew_after_seconds":12960,)"
    R"("renewed_at":"2026-11-24T08:02:40Z","requested_edition":"vWS","ttl_seconds":86400,)"
    R"("vgpu_profile":null}})";

void answer_like_vglsd(const http::request<http::string_body>& request,
                       http::response<http::string_body>& answer) {
  const std::string_view target = request.target();
  if (request.method() == http::verb::delete_) {
    answer.result(http::status::no_content);
    answer.body().clear();
    answer.erase(http::field::content_type);
    return;
  }
  if (request.method() == http::verb::post && target.starts_with("/v1/leases")) {
    answer.result(target == "/v1/leases" ? http::status::created : http::status::ok);
    answer.body() = canned_lease;
  }
}

// Same shape as a real connection handler: a fresh parser per request with a body limit, a read
// deadline, and the answer written before the next request is read.
asio::awaitable<void> serve(beast::tcp_stream stream, bool lease_answers) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(65536);
    stream.expires_after(std::chrono::seconds{30});
    auto [read_ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (read_ec)
      break;
    const auto& request = parser.get();
    http::response<http::string_body> answer{http::status::ok, request.version()};
    answer.set(http::field::content_type, "application/json");
    answer.keep_alive(request.keep_alive());
    answer.body() = "{}";
    if (lease_answers)
      answer_like_vglsd(request, answer);
    answer.prepare_payload();
    auto [write_ec, m] = co_await http::async_write(stream, answer, use_tuple);
    if (write_ec || !answer.keep_alive())
      break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(tcp::endpoint endpoint, bool lease_answers) {
  const auto executor = co_await asio::this_coro::executor;
  tcp::acceptor acceptor(executor, endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
    if (ec) {
      if (ec == asio::error::operation_aborted)
        co_return;
      continue;  // out of descriptors and the like: keep serving the others
    }
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(executor, serve(beast::tcp_stream(std::move(socket)), lease_answers),
                   log_exception);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen_at = "127.0.0.1:7071";
  int threads = 2;
  bool lease_answers = false;
  CLI::App app{"beast-ceiling: answers 200 to every HTTP request (the HTTP path's ceiling)"};
  app.add_option("--listen", listen_at, "HOST:PORT")->capture_default_str();
  app.add_option("--threads", threads, "threads running the io_context")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_flag("--lease-answers", lease_answers,
               "answer the lease routes like vglsd (201 / 200 with a lease, 204), with no work");
  CLI11_PARSE(app, argc, argv);

  const auto colon = listen_at.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "beast-ceiling: --listen wants HOST:PORT\n";
    return 2;
  }
  try {
    const auto address = asio::ip::make_address(listen_at.substr(0, colon));
    const auto port = static_cast<unsigned short>(std::stoi(listen_at.substr(colon + 1)));
    asio::io_context io(threads);
    asio::co_spawn(io, listen(tcp::endpoint(address, port), lease_answers), log_exception);
    asio::signal_set stop(io, SIGINT, SIGTERM);
    stop.async_wait([&io](const beast::error_code&, int) { io.stop(); });
    std::vector<std::thread> runners;
    for (int i = 1; i < threads; ++i)
      runners.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& r : runners)
      r.join();
  } catch (const std::exception& e) {
    std::cerr << "beast-ceiling: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
