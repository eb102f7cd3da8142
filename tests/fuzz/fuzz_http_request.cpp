// The HTTP request path as vglsd parses it (server/net/connection.cpp): Beast's parser with the
// server's head limit and body limit, then the request target and its query, then the body's
// decoder for the route the path names.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/query_codec.h"
#include "protocol/request_codec.h"
#include "server/http/request_target.h"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // Several requests may come on one connection: parse one after another, as the server does.
  for (int message = 0; message < 4 && !input.empty(); ++message) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(65536);
    parser.eager(true);
    boost::beast::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(input.data(), input.size()), ec);
    if (ec || used == 0) {
      return 0;
    }
    input.remove_prefix(used);
    if (!parser.is_header_done()) {
      return 0;
    }
    auto& request = parser.get();
    const std::string_view target(request.target().data(), request.target().size());
    const auto parsed = vgls::server::parse_request_target(target);
    if (!parsed) {
      continue;
    }
    if (!parsed->query_malformed) {
      (void)vgls::protocol::decode_lease_query(parsed->query);
      (void)vgls::protocol::decode_event_query(parsed->query);
      (void)vgls::protocol::decode_usage_query(parsed->query, 1'800'000'000);
      (void)vgls::protocol::decode_force_flag(parsed->query);
    }
    if (!parser.is_done()) {
      return 0;
    }
    const std::string& body = request.body();
    if (parsed->path == "/v1/leases") {
      (void)vgls::protocol::decode_checkout_request(body);
    } else if (parsed->path.ends_with("/renew")) {
      (void)vgls::protocol::decode_renew_request(body);
    } else if (parsed->path.starts_with("/v1/pools")) {
      if (request.method() == http::verb::patch) {
        (void)vgls::protocol::decode_pool_patch_request(body);
      } else {
        (void)vgls::protocol::decode_pool_create_request(body);
      }
    }
  }
  return 0;
}
