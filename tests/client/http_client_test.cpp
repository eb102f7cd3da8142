#include "client/http_client.h"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

using namespace vgls;

TEST_CASE("http_client: nothing listening is a transport error, not an answer") {
  const int port = testing::free_port();  // free, so nothing listens there
  client::client_options options;
  options.connect_timeout = std::chrono::milliseconds(500);
  client::http_client http(*client::parse_server_url("http://127.0.0.1:" + std::to_string(port)),
                           options);
  auto answer = http.request("GET", "/healthz");
  REQUIRE(std::holds_alternative<client::transport_error>(answer));
  CHECK_THAT(std::get<client::transport_error>(answer).message,
             Catch::Contains("cannot connect to http://127.0.0.1:" + std::to_string(port)));
}

TEST_CASE("http_client: a header lookup ignores case") {
  client::http_response response;
  response.headers = {{"Retry-After", "5"}, {"content-type", "application/json"}};
  CHECK(response.header("retry-after") == "5");
  CHECK(response.header("Content-Type") == "application/json");
  CHECK(response.header("Allow").empty());
}
