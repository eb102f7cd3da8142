#include "protocol/time_input.h"

#include <catch2/catch.hpp>

using namespace vgls::protocol;

TEST_CASE("time input: RFC 3339, with T or a space, or a date alone at 00:00 UTC") {
  const auto midnight = parse_rfc3339("2027-06-30T00:00:00Z");
  REQUIRE(midnight);
  CHECK(parse_time_input("2027-06-30T00:00:00Z") == midnight);
  CHECK(parse_time_input("2027-06-30t00:00:00z") == midnight);
  CHECK(parse_time_input("2027-06-30T02:00:00+02:00") == midnight);
  CHECK(parse_time_input("2027-06-29T19:00:00-05:00") == midnight);
  CHECK(parse_time_input("2027-06-30T00:00:00.999Z") == midnight);
  CHECK(parse_time_input("2027-06-30 00:00:00Z") == midnight);
  CHECK(parse_time_input("2027-06-30 12:00:00+12:00") == midnight);
  CHECK(parse_time_input("2027-06-30") == midnight);
  CHECK(parse_time_input("2024-02-29") == parse_rfc3339("2024-02-29T00:00:00Z"));
}

TEST_CASE("time input: anything else is refused") {
  for (const char* bad :
       {"", "2027-06-30T00:00:00", "2027-06-30 00:00:00", "2027-06-30T00:00Z", "30/06/2027",
        "2027-13-45", "2027-02-29", "2027-6-30", "2027-06-30 ", " 2027-06-30", "2027-06-30Z", "now",
        "+90d", "90d", "1798675200", "2027-06-30  00:00:00Z", "2027-06-30T24:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_time_input(bad));
  }
}

TEST_CASE("time input names its forms for error messages") {
  CHECK(std::string(time_input_forms).find("2027-06-30T00:00:00Z") != std::string::npos);
  CHECK(std::string(time_input_forms).find("2027-06-30 (00:00 UTC)") != std::string::npos);
}
