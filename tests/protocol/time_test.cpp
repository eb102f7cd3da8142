#include "protocol/time.h"

#include <catch2/catch.hpp>

using namespace vgls::protocol;

TEST_CASE("RFC 3339 formatting is UTC in whole seconds") {
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(1795514400) == "2026-11-24T10:00:00Z");
  CHECK(format_rfc3339(951782400) == "2000-02-29T00:00:00Z");
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59Z");
  CHECK(format_rfc3339(253402300799) == "9999-12-31T23:59:59Z");
  CHECK(format_rfc3339(253402300800) == "10000-01-01T00:00:00Z");
  CHECK(format_rfc3339(-62167219200) == "0000-01-01T00:00:00Z");
  CHECK(format_rfc3339(1709164799) == "2024-02-28T23:59:59Z");
  CHECK(format_rfc3339(4102444800 + 3723) == "2100-01-01T01:02:03Z");
}

TEST_CASE("RFC 3339 round trips") {
  for (unix_seconds t : {0LL, 1LL, 59LL, 86399LL, 951782400LL, 1795514400LL, 4102444800LL,
                         1709164799LL, 253402300799LL}) {
    CAPTURE(t);
    CHECK(parse_rfc3339(format_rfc3339(t)) == t);
  }
}

TEST_CASE("RFC 3339 parsing accepts offsets, lower-case separators and fractions") {
  CHECK(parse_rfc3339("2026-11-24T10:00:00Z") == 1795514400);
  CHECK(parse_rfc3339("2026-11-24t10:00:00z") == 1795514400);
  CHECK(parse_rfc3339("2026-11-24T11:00:00+01:00") == 1795514400);
  CHECK(parse_rfc3339("2026-11-24T04:30:00-05:30") == 1795514400);
  CHECK(parse_rfc3339("2026-11-24T10:00:00+00:00") == 1795514400);
  CHECK(parse_rfc3339("2026-11-24T10:00:00-00:00") == 1795514400);
  CHECK(parse_rfc3339("2026-11-24T10:00:00.999Z") == 1795514400);  // truncated
  CHECK(parse_rfc3339("2026-11-24T10:00:00.123456789+00:00") == 1795514400);
  CHECK(parse_rfc3339("2024-02-29T00:00:00Z").has_value());
  CHECK(parse_rfc3339("2000-02-29T00:00:00Z") == 951782400);
}

TEST_CASE("RFC 3339 parsing rejects malformed and out-of-range times") {
  for (const char* text : {
           "",
           "2026-11-24",
           "2026-11-24T10:00:00",        // no offset
           "2026-11-24 10:00:00Z",       // space separator
           "2026-11-24T10:00Z",          // no seconds
           "2026-13-01T00:00:00Z",       // month 13
           "2026-00-01T00:00:00Z",       // month 0
           "2026-01-32T00:00:00Z",       // day 32
           "2026-01-00T00:00:00Z",       // day 0
           "2026-02-30T00:00:00Z",       // Feb 30
           "2026-02-29T00:00:00Z",       // not a leap year
           "1900-02-29T00:00:00Z",       // century, not leap
           "2026-04-31T00:00:00Z",       // April has 30
           "2026-11-24T24:00:00Z",       // hour 24
           "2026-11-24T10:60:00Z",       // minute 60
           "2026-11-24T10:00:60Z",       // leap second
           "2026-11-24T10:00:00.Z",      // empty fraction
           "2026-11-24T10:00:00+0100",   // offset without colon
           "2026-11-24T10:00:00+24:00",  // offset hour 24
           "2026-11-24T10:00:00+01:60",  // offset minute 60
           "2026-11-24T10:00:00ZZ",      // trailing garbage
           "2026-11-24T10:00:00Z ",      // trailing space
           " 2026-11-24T10:00:00Z",      // leading space
           "26-11-24T10:00:00Z",         // two-digit year
           "2026-1-24T10:00:00Z",        // one-digit month
           "+2026-11-24T10:00:00Z",      // sign
           "2026-11-24T1O:00:00Z",       // letter O
       }) {
    CAPTURE(text);
    CHECK_FALSE(parse_rfc3339(text).has_value());
  }
}

TEST_CASE("durations are a positive integer and a unit") {
  CHECK(parse_duration("1s") == 1);
  CHECK(parse_duration("30s") == 30);
  CHECK(parse_duration("15m") == 900);
  CHECK(parse_duration("24h") == 86400);
  CHECK(parse_duration("90d") == 90 * 86400);
  CHECK(parse_duration("30d") == 2592000);
  CHECK(parse_duration("0090s") == 90);
}

TEST_CASE("malformed, zero, negative, fractional and overflowing durations are refused") {
  for (const char* text : {"",
                           "s",
                           "h",
                           "0s",
                           "0d",
                           "-1s",
                           "+1s",
                           "1.5h",
                           "1",
                           "24",
                           "1H",
                           "1w",
                           "1 s",
                           " 1s",
                           "1s ",
                           "1ms",
                           "1hh",
                           "9223372036854775807d",
                           "9223372036854775808s",
                           "99999999999999999999s",
                           "106751991167301d"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_duration(text).has_value());
  }
  // The largest whole number of seconds is still a duration.
  CHECK(parse_duration("9223372036854775807s") == 9223372036854775807LL);
}

TEST_CASE("format_duration writes the shortest exact spelling") {
  CHECK(format_duration(86400) == "1d");
  CHECK(format_duration(90 * 86400) == "90d");
  CHECK(format_duration(3600) == "1h");
  CHECK(format_duration(90000) == "25h");
  CHECK(format_duration(900) == "15m");
  CHECK(format_duration(90) == "90s");
  CHECK(format_duration(1) == "1s");
  for (std::int64_t s : {1LL, 59LL, 60LL, 61LL, 3600LL, 3601LL, 86400LL, 86460LL, 7776000LL}) {
    CAPTURE(s);
    CHECK(parse_duration(format_duration(s)) == s);
  }
}

TEST_CASE("system_now is a plausible present") {
  const unix_seconds now = system_now();
  CHECK(now > *parse_rfc3339("2020-01-01T00:00:00Z"));
}
