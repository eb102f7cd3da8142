#include "protocol/status.h"

#include <catch2/catch.hpp>

using namespace vgls::protocol;

TEST_CASE("every error code maps to its SPEC spelling and HTTP status") {
  struct row {
    error_code code;
    const char* name;
    int http;
  };
  const row table[] = {
      {error_code::invalid_request, "invalid_request", 400},
      {error_code::unknown_edition, "unknown_edition", 400},
      {error_code::unauthorized, "unauthorized", 401},
      {error_code::not_found, "not_found", 404},
      {error_code::lease_not_found, "lease_not_found", 404},
      {error_code::pool_not_found, "pool_not_found", 404},
      {error_code::no_pool_for_edition, "no_pool_for_edition", 404},
      {error_code::license_expired, "license_expired", 403},
      {error_code::method_not_allowed, "method_not_allowed", 405},
      {error_code::no_seat_available, "no_seat_available", 409},
      {error_code::pool_exists, "pool_exists", 409},
      {error_code::pool_in_use, "pool_in_use", 409},
      {error_code::payload_too_large, "payload_too_large", 413},
      {error_code::unsupported_media_type, "unsupported_media_type", 415},
      {error_code::rate_limited, "rate_limited", 429},
      {error_code::internal_error, "internal_error", 500},
      {error_code::unavailable, "unavailable", 503},
  };
  for (const auto& r : table) {
    CAPTURE(r.name);
    CHECK(to_string(r.code) == r.name);
    CHECK(http_status(r.code) == r.http);
    CHECK(error_code_from_string(r.name) == r.code);
  }
  CHECK(http_status(error_code::ok) == 200);
}

TEST_CASE("error_code_from_string refuses spellings that are not SPEC codes") {
  CHECK_FALSE(error_code_from_string("").has_value());
  CHECK_FALSE(error_code_from_string("Invalid_Request").has_value());
  CHECK_FALSE(error_code_from_string("no_seat").has_value());
}

TEST_CASE("status carries code, message and field") {
  const status ok;
  CHECK(ok.is_ok());
  CHECK(static_cast<bool>(ok));
  CHECK(ok.code() == error_code::ok);

  const status s = status::invalid("client_id", "client_id: required");
  CHECK_FALSE(s.is_ok());
  CHECK(s.code() == error_code::invalid_request);
  CHECK(s.field() == "client_id");
  CHECK(s.to_string() == "invalid_request: client_id: required");

  const status seat = status::error(error_code::no_seat_available, "every pool is full");
  CHECK(seat.field().empty());
  CHECK(seat.to_string() == "no_seat_available: every pool is full");
}

TEST_CASE("result holds a value or an error") {
  result<int> value = 7;
  REQUIRE(value.is_ok());
  CHECK(*value == 7);
  CHECK(value.error().is_ok());

  result<int> failure = status::unavailable("disk full");
  REQUIRE_FALSE(failure.is_ok());
  CHECK(failure.error().code() == error_code::unavailable);
}
