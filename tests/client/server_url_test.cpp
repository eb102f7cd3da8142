#include <catch2/catch.hpp>

#include "client/http_client.h"

using vgls::client::parse_server_url;

TEST_CASE("server URLs: scheme, host and port") {
  auto plain = parse_server_url("http://127.0.0.1:7071");
  REQUIRE(plain);
  CHECK_FALSE(plain->tls);
  CHECK(plain->host == "127.0.0.1");
  CHECK(plain->port == "7071");

  auto secure = parse_server_url("https://vgls.example.com/");
  REQUIRE(secure);
  CHECK(secure->tls);
  CHECK(secure->host == "vgls.example.com");
  CHECK(secure->port == "7070");  // the license server's port, not 443

  auto v6 = parse_server_url("http://[::1]:8080");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == "8080");
}

TEST_CASE("server URLs: malformed ones are refused with a reason") {
  for (const char* text :
       {"127.0.0.1:7070", "ftp://host", "http://", "http://host:0", "http://host:70000",
        "http://host:12ab", "http://host/v1", "http://[::1"}) {
    std::string error;
    INFO(text);
    CHECK_FALSE(parse_server_url(text, &error));
    CHECK_FALSE(error.empty());
  }
}
