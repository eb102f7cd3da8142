#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "protocol/answer_codec.h"

using namespace vgls::protocol;
using nlohmann::json;

TEST_CASE("an error body has code and message, and field only when one is at fault") {
  const status with_field =
      status::invalid("client_id", "client_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -");
  CHECK(json::parse(encode_error(with_field)) ==
        json{{"error",
              {{"code", "invalid_request"},
               {"message", "client_id: must be 1-128 characters of A-Z a-z 0-9 . _ : -"},
               {"field", "client_id"}}}});

  const status without = status::error(error_code::no_seat_available, "every pool is full");
  const json j = json::parse(encode_error(without));
  CHECK(j.at("error").at("code") == "no_seat_available");
  CHECK(j.at("error").at("message") == "every pool is full");
  CHECK_FALSE(j.at("error").contains("field"));
  CHECK(j.size() == 1);
}

TEST_CASE("an ok status is never encoded as an error code 'ok'") {
  CHECK(json::parse(encode_error(status::ok())).at("error").at("code") == "internal_error");
}

TEST_CASE("decode_error reads a SPEC error body back") {
  for (error_code code :
       {error_code::invalid_request, error_code::unknown_edition, error_code::lease_not_found,
        error_code::license_expired, error_code::no_seat_available, error_code::rate_limited}) {
    const status original = status::error(code, "why", "edition");
    const status decoded = decode_error(http_status(code), encode_error(original));
    CHECK(decoded == original);
  }
  const status no_field = decode_error(409, R"({"error":{"code":"pool_in_use","message":"m"}})");
  CHECK(no_field.code() == error_code::pool_in_use);
  CHECK(no_field.field().empty());
  // The body's code wins over the HTTP status.
  CHECK(decode_error(500, R"({"error":{"code":"pool_exists","message":"m"}})").code() ==
        error_code::pool_exists);
  // A missing message is an empty one.
  CHECK(decode_error(404, R"({"error":{"code":"pool_not_found"}})").code() ==
        error_code::pool_not_found);
}

TEST_CASE("decode_error falls back on the HTTP status for foreign bodies") {
  const std::pair<int, error_code> rows[] = {
      {400, error_code::invalid_request},
      {401, error_code::unauthorized},
      {403, error_code::unauthorized},
      {404, error_code::not_found},
      {405, error_code::method_not_allowed},
      {413, error_code::payload_too_large},
      {415, error_code::unsupported_media_type},
      {429, error_code::rate_limited},
      {418, error_code::invalid_request},
      {500, error_code::internal_error},
      {502, error_code::unavailable},
      {503, error_code::unavailable},
      {504, error_code::unavailable},
  };
  for (const auto& [http, code] : rows) {
    CAPTURE(http);
    for (const char* body : {"", "<html>Service Unavailable</html>", "{}", "{\"error\":\"text\"}",
                             "{\"error\":{\"code\":\"teapot\"}}", "{\"error\":{\"code\":\"ok\"}}",
                             "{\"error\":{\"code\":7}}", "[1]", "\xFF\xFE"}) {
      CAPTURE(body);
      const status s = decode_error(http, body);
      CHECK(s.code() == code);
      CHECK(s.field().empty());
    }
  }
  const status echoed = decode_error(503, "<html>down</html>");
  CHECK(echoed.message() == "HTTP 503: <html>down</html>");
  CHECK(decode_error(502, std::string(5000, 'x')).message().size() < 300);
}
