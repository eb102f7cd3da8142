#include "server/http/router.h"

#include <catch2/catch.hpp>

using namespace vgls::server;

namespace {

route_handler nothing() {
  return [](request_context&) -> boost::asio::awaitable<outgoing_response> {
    co_return outgoing_response{};
  };
}

router sample_router() {
  router r;
  r.add("/", "GET", access::status_page, nothing());
  r.add("/v1/leases", "POST", access::client, nothing());
  r.add("/v1/leases", "GET", access::admin, nothing());
  r.add("/v1/leases/{id}", "GET", access::client, nothing());
  r.add("/v1/leases/{id}", "DELETE", access::client, nothing());
  r.add("/v1/leases/{id}/renew", "POST", access::client, nothing());
  return r;
}

}  // namespace

TEST_CASE("routes match by pattern and method", "[router]") {
  auto r = sample_router();
  auto m = r.match("POST", "/v1/leases");
  REQUIRE(m.result == route_match::outcome::found);
  CHECK(m.route->pattern == "/v1/leases");
  CHECK(m.method->access == access::client);

  m = r.match("GET", "/v1/leases");
  REQUIRE(m.result == route_match::outcome::found);
  CHECK(m.method->access == access::admin);
  // Its position among the route's methods, which the metrics count it by.
  CHECK(m.method->index == 1);

  m = r.match("DELETE", "/v1/leases/lse_abc");
  REQUIRE(m.result == route_match::outcome::found);
  CHECK(m.route->pattern == "/v1/leases/{id}");
  CHECK(m.path_id == "lse_abc");

  m = r.match("POST", "/v1/leases/lse_abc/renew");
  REQUIRE(m.result == route_match::outcome::found);
  CHECK(m.path_id == "lse_abc");

  CHECK(r.match("GET", "/").result == route_match::outcome::found);
}

TEST_CASE("unknown paths are 404 and wrong methods 405 with Allow", "[router]") {
  auto r = sample_router();
  CHECK(r.match("GET", "/v2/leases").result == route_match::outcome::no_route);
  CHECK(r.match("GET", "/v1/leases/").result == route_match::outcome::no_route);  // empty id
  CHECK(r.match("GET", "/v1/leases/a/b").result == route_match::outcome::no_route);
  CHECK(r.match("GET", "/v1//leases").result == route_match::outcome::no_route);
  CHECK(r.match("GET", "").result == route_match::outcome::no_route);
  CHECK(r.match("GET", "v1/leases").result == route_match::outcome::no_route);

  auto m = r.match("PUT", "/v1/leases");
  REQUIRE(m.result == route_match::outcome::wrong_method);
  CHECK(m.route->allow == "POST, GET");
  m = r.match("GET", "/v1/leases/x/renew");
  REQUIRE(m.result == route_match::outcome::wrong_method);
  CHECK(m.route->allow == "POST");
  // Methods are case-sensitive (RFC 9110).
  CHECK(r.match("get", "/").result == route_match::outcome::wrong_method);
}

TEST_CASE("registering a route twice is a programming error", "[router]") {
  auto r = sample_router();
  CHECK_THROWS(r.add("/v1/leases", "POST", access::client, nothing()));
}
