#include "server/http/request_target.h"

#include <catch2/catch.hpp>

using vgls::server::parse_request_target;

TEST_CASE("targets split into path and decoded query", "[request_target]") {
  auto t = parse_request_target("/v1/leases?pool=vws-main&limit=5&hostname=vdi%2D0&x");
  REQUIRE(t);
  CHECK(t->path == "/v1/leases");
  CHECK(t->query.at("pool") == "vws-main");
  CHECK(t->query.at("limit") == "5");
  CHECK(t->query.at("hostname") == "vdi-0");
  CHECK(t->query.at("x").empty());

  t = parse_request_target("/v1/events?type=a&type=lease.granted");
  REQUIRE(t);
  CHECK(t->query.at("type") == "lease.granted");  // the last value wins

  // The query ends where the target ends, even when more text follows in memory.
  const std::string request_line = "/v1/leases?edition=vApp HTTP/1.1";
  t = parse_request_target(std::string_view(request_line).substr(0, 23));
  REQUIRE(t);
  CHECK(t->query.at("edition") == "vApp");

  t = parse_request_target("/healthz");
  REQUIRE(t);
  CHECK(t->path == "/healthz");
  CHECK(t->query.empty());
}

TEST_CASE("absolute-form targets are read as their path and query", "[request_target]") {
  auto t = parse_request_target("http://example.com:7070/v1/leases?limit=5");
  REQUIRE(t);
  CHECK(t->path == "/v1/leases");
  CHECK(t->query.at("limit") == "5");
  t = parse_request_target("HTTPS://example.com");
  REQUIRE(t);
  CHECK(t->path == "/");
  t = parse_request_target("http://example.com?limit=5");
  REQUIRE(t);
  CHECK(t->path == "/");
  CHECK(t->query.at("limit") == "5");
}

TEST_CASE("targets that are neither origin- nor absolute-form are refused", "[request_target]") {
  CHECK_FALSE(parse_request_target(""));
  CHECK_FALSE(parse_request_target("*"));
  CHECK_FALSE(parse_request_target("example.com:443"));
  CHECK_FALSE(parse_request_target("ftp://example.com/"));
  auto malformed = parse_request_target("/v1/events?after=%zz");
  REQUIRE(malformed);
  CHECK(malformed->path == "/v1/events");
  CHECK(malformed->query_malformed);
}
