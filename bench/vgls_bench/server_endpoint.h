// Where the load goes: the server URL resolved once to an endpoint, and the Host header to send.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>

namespace vgls::bench {

struct server_endpoint {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host;  // "127.0.0.1:7070"
};

// Throws std::runtime_error when `url` is not a plain http URL or does not resolve.
server_endpoint resolve_server(const std::string& url);

}  // namespace vgls::bench
