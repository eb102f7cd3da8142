#include "bench/vgls_bench/server_endpoint.h"

#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "client/http_client.h"

namespace vgls::bench {

server_endpoint resolve_server(const std::string& url) {
  std::string error;
  const auto parsed = client::parse_server_url(url, &error);
  if (!parsed)
    throw std::runtime_error("--url: " + error);
  if (parsed->tls)
    throw std::runtime_error("--url: vgls-bench speaks plain HTTP only (measure TLS separately)");
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto results = resolver.resolve(parsed->host, parsed->port, ec);
  if (ec || results.empty())
    throw std::runtime_error("cannot resolve " + parsed->host + ": " + ec.message());
  return {results.begin()->endpoint(), parsed->host + ":" + parsed->port};
}

}  // namespace vgls::bench
