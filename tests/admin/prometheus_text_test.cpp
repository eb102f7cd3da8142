// The test's own Prometheus reader, and the server's label escaping read back through it.
#include "tests/admin/prometheus_text.h"

#include <catch2/catch.hpp>

#include "server/metrics/metrics.h"

using namespace vgls::testing;

TEST_CASE("the reader keeps families, labels and values, and flags what is malformed") {
  const auto parsed = parse_prometheus_text(
      "# HELP up Whether it is up.\n"
      "# TYPE up gauge\n"
      "up{job=\"a\\\"b\\\\c\\nd\",x=\"\"} 1\n"
      "# HELP h A histogram.\n"
      "# TYPE h histogram\n"
      "h_bucket{le=\"+Inf\"} 3\n"
      "h_sum 0.5\n"
      "h_count 3\n"
      "orphan 2\n"
      "up{job=\"unterminated} 1\n");
  CHECK(parsed.families.at("up").type == "gauge");
  CHECK(parsed.value("up", {{"job", "a\"b\\c\nd"}, {"x", ""}}) == 1.0);
  CHECK(parsed.value("h_count") == 3.0);
  CHECK(parsed.value("h_bucket", {{"le", "+Inf"}}) == 3.0);
  CHECK(parsed.problems.size() == 2);
}

TEST_CASE("label values the server escapes read back unchanged") {
  for (const std::string nasty :
       {"plain", "quote\"inside", "back\\slash", "new\nline", "all \\\" \n of them", "ünïcode"}) {
    const std::string text = "# HELP m M.\n# TYPE m gauge\nm{pool=\"" +
                             vgls::server::escape_label_value(nasty) + "\"} 7\n";
    const auto parsed = parse_prometheus_text(text);
    CAPTURE(text);
    CHECK(parsed.problems.empty());
    CHECK(parsed.value("m", {{"pool", nasty}}) == 7.0);
  }
}
