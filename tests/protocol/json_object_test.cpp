#include <catch2/catch.hpp>
#include <string>

#include "protocol/json_body.h"

using namespace vgls::protocol;

namespace {

void check_refused(std::string_view body) {
  const auto parsed = parse_json_object(body);
  REQUIRE_FALSE(parsed.is_ok());
  CHECK(parsed.error().code() == error_code::invalid_request);
  CHECK(parsed.error().field().empty());
}

}  // namespace

TEST_CASE("a JSON object parses") {
  const auto parsed = parse_json_object(R"({"a": [1, {"b": "c"}], "d": null})");
  REQUIRE(parsed.is_ok());
  CHECK(parsed->at("a").at(1).at("b") == "c");
  CHECK(parse_json_object("  {}  ").is_ok());
}

TEST_CASE("bodies that are not one JSON object are refused") {
  for (const char* body : {"", " ", "{", "}", "{\"a\":}", "{'a': 1}", "[]", "[{}]", "\"text\"",
                           "42", "true", "null", "{} {}", "{\"a\":1,}"}) {
    CAPTURE(body);
    check_refused(body);
  }
  check_refused(std::string_view("{}\0", 3));  // trailing NUL
}

TEST_CASE("invalid UTF-8 is refused before parsing") {
  check_refused("{\"client_id\": \"\xC3\x28\"}");
  check_refused("{\"a\": \"\xED\xA0\x80\"}");
  check_refused("{\"\xFF\": 1}");
}

TEST_CASE("nesting is limited to 32 levels") {
  auto nested = [](int depth) {
    std::string body = "{\"a\":";
    for (int i = 1; i < depth; ++i) {
      body += '[';
    }
    body += '0';
    for (int i = 1; i < depth; ++i) {
      body += ']';
    }
    return body + '}';
  };
  CHECK(parse_json_object(nested(32)).is_ok());
  check_refused(nested(33));
  // Brackets inside strings do not count.
  CHECK(parse_json_object("{\"a\": \"" + std::string(1000, '[') + "\\\"[[\"}").is_ok());
}

TEST_CASE("pathologically deep input is refused without exhausting the stack") {
  check_refused(std::string(100000, '['));
  check_refused(std::string(1 << 20, '{'));
  check_refused("{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}");
}

TEST_CASE("a number beyond any JSON type names the top-level member that holds it") {
  auto parsed = parse_json_object(R"({"id": "x", "seats": 1e400})");
  REQUIRE_FALSE(parsed.is_ok());
  CHECK(parsed.error().code() == error_code::invalid_request);
  CHECK(parsed.error().field() == "seats");
  parsed = parse_json_object(R"({"labels": {"a": -1e999}})");
  REQUIRE_FALSE(parsed.is_ok());
  CHECK(parsed.error().field() == "labels");
  // Malformed JSON after a member is still malformed JSON, with no field.
  check_refused(R"({"seats": 1, "x": })");
}
