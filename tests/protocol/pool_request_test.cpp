#include <catch2/catch.hpp>
#include <string>

#include "protocol/request_codec.h"

using namespace vgls::protocol;

namespace {

void check_create_refused(std::string_view body, error_code code, std::string_view field) {
  const auto decoded = decode_pool_create_request(body);
  REQUIRE_FALSE(decoded.is_ok());
  CHECK(decoded.error().code() == code);
  CHECK(decoded.error().field() == field);
}

void check_patch_refused(std::string_view body, std::string_view field) {
  const auto decoded = decode_pool_patch_request(body);
  REQUIRE_FALSE(decoded.is_ok());
  CHECK(decoded.error().code() == error_code::invalid_request);
  CHECK(decoded.error().field() == field);
}

// A valid subscription pool whose seats are the JSON text `seats`.
std::string create_with(const std::string& seats) {
  return R"({"id":"vws-main","edition":"vWS","kind":"subscription","days":30,"seats":)" + seats +
         "}";
}

}  // namespace

TEST_CASE("a subscription pool with expires_at decodes") {
  const auto decoded = decode_pool_create_request(
      R"({"id":"vws-main","edition":"vWS","seats":120,"kind":"subscription",
          "expires_at":"2027-06-30T00:00:00Z","starts_at":"2026-11-24T10:00:00Z"})");
  REQUIRE(decoded.is_ok());
  CHECK(decoded->id == "vws-main");
  CHECK(decoded->edition == edition::vws);
  CHECK(decoded->seats == 120);
  CHECK(decoded->kind == pool_kind::subscription);
  CHECK(decoded->starts_at == 1795514400);
  CHECK(decoded->expires_at == *parse_rfc3339("2027-06-30T00:00:00Z"));
  CHECK_FALSE(decoded->days.has_value());
}

TEST_CASE("trial pools with days, perpetual pools with neither") {
  const auto trial = decode_pool_create_request(
      R"({"id":"t","edition":"compute","seats":0,"kind":"trial","days":90})");
  REQUIRE(trial.is_ok());
  CHECK(trial->edition == edition::vcs);
  CHECK(trial->seats == 0);
  CHECK(trial->days == 90);
  CHECK_FALSE(trial->starts_at.has_value());

  const auto perpetual = decode_pool_create_request(
      R"({"id":"p","edition":"vApp","seats":10000000,"kind":"perpetual","expires_at":null})");
  REQUIRE(perpetual.is_ok());
  CHECK(perpetual->kind == pool_kind::perpetual);
  CHECK(perpetual->seats == max_pool_seats);
  CHECK_FALSE(perpetual->expires_at.has_value());
}

TEST_CASE("pool id must be a slug") {
  const char* tail = R"(,"edition":"vWS","seats":1,"kind":"trial","days":1})";
  check_create_refused(std::string(R"({"id":"Bad Id")") + tail, error_code::invalid_request, "id");
  check_create_refused(std::string(R"({"id":"-x")") + tail, error_code::invalid_request, "id");
  check_create_refused(std::string(R"({"id":"")") + tail, error_code::invalid_request, "id");
  check_create_refused(std::string(R"({"id":7)") + tail, error_code::invalid_request, "id");
  check_create_refused(std::string(R"({"ID":"x")") + tail, error_code::invalid_request, "id");
  check_create_refused("{\"id\":\"" + std::string(64, 'a') + "\"" + tail,
                       error_code::invalid_request, "id");
}

TEST_CASE("pool edition is required and known") {
  check_create_refused(R"({"id":"x","seats":1,"kind":"trial","days":1})",
                       error_code::invalid_request, "edition");
  check_create_refused(R"({"id":"x","edition":"gold","seats":1,"kind":"trial","days":1})",
                       error_code::unknown_edition, "edition");
  check_create_refused(R"({"id":"x","edition":1,"seats":1,"kind":"trial","days":1})",
                       error_code::invalid_request, "edition");
}

TEST_CASE("seats is an integer from 0 to 10,000,000") {
  CHECK(decode_pool_create_request(create_with("0")).is_ok());
  CHECK(decode_pool_create_request(create_with("10000000")).is_ok());
  for (const char* seats : {"-1", "10000001", "1.5", "2.0", "1e3", "true", "\"5\"", "null", "[5]",
                            "18446744073709551615", "99999999999999999999", "1e400", "-1e400"}) {
    CAPTURE(seats);
    check_create_refused(create_with(seats), error_code::invalid_request, "seats");
  }
  check_create_refused(R"({"id":"x","edition":"vWS","kind":"trial","days":1})",
                       error_code::invalid_request, "seats");
}

TEST_CASE("kind is required and one of trial, subscription, perpetual") {
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"days":1})",
                       error_code::invalid_request, "kind");
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"kind":"lifetime","days":1})",
                       error_code::invalid_request, "kind");
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"kind":1,"days":1})",
                       error_code::invalid_request, "kind");
}

TEST_CASE("expiry rules per kind") {
  // Trial and subscription need exactly one of expires_at and days.
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"kind":"subscription"})",
                       error_code::invalid_request, "");
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"kind":"trial",
                          "days":1,"expires_at":"2027-01-01T00:00:00Z"})",
                       error_code::invalid_request, "");
  // Perpetual pools never expire.
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"kind":"perpetual","days":1})",
                       error_code::invalid_request, "days");
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"kind":"perpetual",
                          "expires_at":"2027-01-01T00:00:00Z"})",
                       error_code::invalid_request, "expires_at");
  // days is a positive integer up to 100 years.
  for (const char* days : {"0", "-5", "36501", "1.5", "\"30\"", "true"}) {
    CAPTURE(days);
    check_create_refused(
        std::string(R"({"id":"x","edition":"vWS","seats":1,"kind":"trial","days":)") + days + "}",
        error_code::invalid_request, "days");
  }
  CHECK(decode_pool_create_request(
            R"({"id":"x","edition":"vWS","seats":1,"kind":"trial","days":36500})")
            .is_ok());
  // Times must be RFC 3339, and the window must not be empty.
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"kind":"trial",
                          "expires_at":"2027-13-01T00:00:00Z"})",
                       error_code::invalid_request, "expires_at");
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"kind":"trial","days":3,
                          "starts_at":"tomorrow"})",
                       error_code::invalid_request, "starts_at");
  check_create_refused(R"({"id":"x","edition":"vWS","seats":1,"kind":"trial",
                          "starts_at":"2027-01-01T00:00:00Z","expires_at":"2027-01-01T00:00:00Z"})",
                       error_code::invalid_request, "expires_at");
}

TEST_CASE("a pool patch changes only the fields given") {
  const auto empty = decode_pool_patch_request("{}");
  REQUIRE(empty.is_ok());
  CHECK_FALSE(empty->seats.has_value());
  CHECK_FALSE(empty->starts_at.has_value());
  CHECK_FALSE(empty->expires_at.has_value());

  const auto full = decode_pool_patch_request(
      R"({"seats":0,"starts_at":"2026-11-24T10:00:00Z","expires_at":"2027-06-30T00:00:00Z",
          "id":"ignored"})");
  REQUIRE(full.is_ok());
  CHECK(full->seats == 0);
  CHECK(full->starts_at == 1795514400);
  CHECK(full->expires_at == *parse_rfc3339("2027-06-30T00:00:00Z"));

  const auto nulls = decode_pool_patch_request(R"({"seats":null,"expires_at":null})");
  REQUIRE(nulls.is_ok());
  CHECK_FALSE(nulls->seats.has_value());
  CHECK_FALSE(nulls->expires_at.has_value());
}

TEST_CASE("a bad pool patch names its field") {
  check_patch_refused(R"({"seats":-1})", "seats");
  check_patch_refused(R"({"seats":10000001})", "seats");
  check_patch_refused(R"({"seats":1.5})", "seats");
  check_patch_refused(R"({"seats":"3"})", "seats");
  check_patch_refused(R"({"expires_at":"2027-02-30T00:00:00Z"})", "expires_at");
  check_patch_refused(R"({"starts_at":0})", "starts_at");
  check_patch_refused(R"({"starts_at":"2027-01-02T00:00:00Z","expires_at":"2027-01-01T00:00:00Z"})",
                      "expires_at");
  check_patch_refused("[]", "");
  check_patch_refused("", "");
}
