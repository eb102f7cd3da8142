#include <catch2/catch.hpp>

#include "protocol/request_codec.h"

using namespace vgls::protocol;

TEST_CASE("a renew body is optional") {
  for (const char* body : {"", " \r\n", "{}", "{\"client_time\":null}", "{\"other\":1}"}) {
    CAPTURE(body);
    const auto decoded = decode_renew_request(body);
    REQUIRE(decoded.is_ok());
    CHECK_FALSE(decoded->client_time.has_value());
  }
}

TEST_CASE("a renew body may carry client_time") {
  const auto decoded = decode_renew_request(R"({"client_time":"2026-11-24T10:00:00Z"})");
  REQUIRE(decoded.is_ok());
  CHECK(decoded->client_time == 1795514400);
}

TEST_CASE("a bad renew body is refused") {
  auto bad_time = decode_renew_request(R"({"client_time":"noon"})");
  REQUIRE_FALSE(bad_time.is_ok());
  CHECK(bad_time.error().code() == error_code::invalid_request);
  CHECK(bad_time.error().field() == "client_time");

  for (const char* body : {"[]", "nope", "\"2026-11-24T10:00:00Z\""}) {
    CAPTURE(body);
    auto decoded = decode_renew_request(body);
    REQUIRE_FALSE(decoded.is_ok());
    CHECK(decoded.error().code() == error_code::invalid_request);
    CHECK(decoded.error().field().empty());
  }
}
