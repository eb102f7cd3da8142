// The route table: every route of SPEC §2 is registered in one place (app/routes_table.cpp) as a
// path pattern, and per method an access level and a handler. Matching does no I/O: it answers
// which route and method, or why none (404, or 405 with the methods that are allowed).
//
// Patterns are literal segments and at most one "{id}" segment, which matches one non-empty
// segment. Built once at start, then read-only: safe to share between threads.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/http_types.h"

namespace vgls::server {

// Who may call a route (see auth.h).
enum class access {
  open,         // /healthz
  metrics,      // /metrics: open unless server.metrics_public = false
  status_page,  // /: Basic or Bearer admin unless server.status_page_public
  client,       // client routes: open unless a client token is configured
  viewer,       // reading admin routes: a token of any role
  operator_,    // revoking and reclaiming: operator or admin
  admin,        // changing admin routes: an admin token
};

using route_handler = std::function<boost::asio::awaitable<outgoing_response>(request_context&)>;

struct route_method {
  std::string method;
  server::access access = access::admin;
  bool rate_limited = true;
  // Answered by a standby node too (SPEC §7: /healthz, /healthz/active, /metrics); every other
  // route answers 503 there, naming the active node.
  bool on_standby = false;
  route_handler handler;
  std::size_t index = 0;  // position among its route's methods; metrics use it
};

// How a route is registered beyond its access level.
struct route_options {
  bool rate_limited = true;
  bool on_standby = false;
};

struct route {
  std::string pattern;
  std::vector<std::string> segments;
  std::vector<route_method> methods;
  std::size_t index = 0;  // position in the table; metrics use it
  std::string allow;      // "GET, POST", for 405 answers
};

struct route_match {
  enum class outcome { found, no_route, wrong_method };
  outcome result = outcome::no_route;
  const server::route* route = nullptr;  // set unless no_route
  const route_method* method = nullptr;  // set when found
  std::string path_id;                   // the {id} segment
};

class router {
 public:
  // Registers `method` on `pattern`, creating the route on first use.
  void add(std::string_view pattern, std::string_view method, access level, route_handler handler,
           route_options options = {});

  // `path` without the query string, still percent-encoded.
  route_match match(std::string_view method, std::string_view path) const;

  const std::vector<route>& routes() const { return routes_; }

 private:
  std::vector<route> routes_;
};

}  // namespace vgls::server
