// The inline SVG usage charts.
#include "server/status_page/usage_chart.h"

#include <catch2/catch.hpp>

using namespace vgls;
using namespace vgls::server;

namespace {

std::size_t count(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

usage_window day_window() {
  usage_window w;
  w.title = "Last 24 hours";
  w.id = "usage-24h";
  w.to = 1'795'000'000;
  w.from = w.to - 86400;
  w.bucket_seconds = 3600;
  return w;
}

protocol::usage_bucket bucket(protocol::edition e, protocol::unix_seconds start, int peak,
                              int seats) {
  protocol::usage_bucket b;
  b.edition = e;
  b.start = start;
  b.peak_used = peak;
  b.seats = seats;
  b.granted = peak;
  return b;
}

}  // namespace

TEST_CASE("an edition with use keeps its zero buckets, so the line does not skip them") {
  auto w = day_window();
  w.buckets = {bucket(protocol::edition::vws, w.from, 0, 0),
               bucket(protocol::edition::vws, w.from + 3600, 2, 4),
               bucket(protocol::edition::vpc, w.from, 0, 0)};
  const std::string html = render_usage_chart(w);
  CHECK(count(html, "<circle") == 2);
  CHECK(count(html, "data-edition=\"vPC\"") == 0);
}

TEST_CASE("an empty window says so instead of drawing") {
  auto w = day_window();
  // Editions without seats or use are not drawn.
  w.buckets = {bucket(protocol::edition::vapp, w.from, 0, 0)};
  const std::string html = render_usage_chart(w);
  CHECK(html.find("No usage in this period") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("id=\"usage-24h\"") != std::string::npos);
}

TEST_CASE("one series per edition with use, a point per bucket with its numbers") {
  auto w = day_window();
  for (int hour = 0; hour < 3; ++hour) {
    w.buckets.push_back(bucket(protocol::edition::vws, w.from + hour * 3600, hour + 1, 16));
    w.buckets.push_back(bucket(protocol::edition::vpc, w.from + hour * 3600, 2, 4));
    w.buckets.push_back(bucket(protocol::edition::vcs, w.from + hour * 3600, 0, 0));
  }
  const std::string html = render_usage_chart(w);
  CHECK(count(html, "<svg") == 1);
  CHECK(count(html, "data-edition=\"vWS\"") == 1);
  CHECK(count(html, "data-edition=\"vPC\"") == 1);
  CHECK(count(html, "data-edition=\"vCS\"") == 0);
  CHECK(count(html, "<polyline class=\"used\"") == 2);
  CHECK(count(html, "<circle") == 6);
  CHECK(html.find("<title>vWS " + protocol::format_rfc3339(w.from + 7200) +
                  ": peak 3 of 16 seats, 3 granted, 0 denied</title>") != std::string::npos);
  // The y axis is scaled to the peak in use (3, with headroom: 4); 16 seats are far above it.
  CHECK(html.find(">4</text>") != std::string::npos);
  CHECK(html.find(">16</text>") == std::string::npos);
  CHECK(html.find("seats above the scale: vWS 16") != std::string::npos);
}

TEST_CASE("the y axis follows the peak, and takes in the seats only when they are near") {
  CHECK(chart_top(0, 0) == 2);
  CHECK(chart_top(3, 1000) == 4);
  CHECK(chart_top(10, 0) == 15);
  CHECK(chart_top(10, 16) == 20);  // 16 seats are within 1.5 times 15: shown
  CHECK(chart_top(10, 30) == 15);  // 30 are not
  CHECK(chart_top(120, 120) == 150);
  CHECK(chart_top(900, 0) == 1200);
  for (std::int64_t peak = 0; peak < 3000; peak += 7)
    CHECK(chart_top(peak, 0) > peak);
}

TEST_CASE("a window starts at the installation's first start when that is later") {
  constexpr protocol::unix_seconds now = 1'795'000'000;  // 2026-11-18T10:06:40Z
  const auto young =
      make_usage_window("Last 30 days", "usage-30d", now, 30 * 86400, 86400, now - 2 * 86400 - 100);
  CHECK(young.since_install);
  // Two days in days would be two dots; in hours they are a line.
  CHECK(young.bucket_seconds == 3600);
  CHECK(young.from == (now - 2 * 86400 - 100) / 3600 * 3600);
  CHECK(young.to == now);
  CHECK(make_usage_window("", "", now, 30 * 86400, 86400, now - 3 * 86400).bucket_seconds == 21600);
  CHECK(make_usage_window("", "", now, 86400, 3600, now - 600).bucket_seconds == 60);
  CHECK(make_usage_window("", "", now, 86400, 3600, now - 20 * 3600).bucket_seconds == 3600);
  const auto old =
      make_usage_window("Last 24 hours", "usage-24h", now, 86400, 3600, now - 40 * 86400);
  CHECK_FALSE(old.since_install);
  CHECK(old.from == (now - 86400) / 3600 * 3600);
  const auto unknown = make_usage_window("Last 24 hours", "usage-24h", now, 86400, 3600, 0);
  CHECK_FALSE(unknown.since_install);

  auto w = young;
  w.buckets = {bucket(protocol::edition::vws, w.from, 2, 4)};
  const std::string html = render_usage_chart(w);
  CHECK(html.find("since the first start, " + protocol::format_rfc3339(w.from).substr(0, 10)) !=
        std::string::npos);
  // The axis begins at the first bucket: its date, not one 30 days back.
  CHECK(html.find(">" + protocol::format_rfc3339(w.from).substr(0, 10) + "</text>") !=
        std::string::npos);
  CHECK(html.find(protocol::format_rfc3339(now - 30 * 86400).substr(0, 10)) == std::string::npos);
}

TEST_CASE("buckets with refused checkouts are marked in a lane of their own") {
  auto w = day_window();
  w.buckets = {bucket(protocol::edition::vws, w.from, 2, 2),
               bucket(protocol::edition::vws, w.from + 3600, 2, 2),
               bucket(protocol::edition::vpc, w.from + 3600, 0, 0)};
  CHECK(render_usage_chart(w).find("class=\"denials\"") == std::string::npos);
  w.buckets[1].denied = 5;
  w.buckets[2].denied = 2;
  const std::string html = render_usage_chart(w);
  CHECK(count(html, "<g class=\"denials\">") == 1);
  CHECK(count(html, "<rect data-start=") == 1);
  CHECK(html.find("data-denied=\"7\"") != std::string::npos);
  CHECK(html.find(": 7 checkouts refused (vPC 2, vWS 5)</title>") != std::string::npos);
  CHECK(html.find("refused checkouts</span>") != std::string::npos);
  // An edition with denials only is still drawn (its line at zero).
  CHECK(count(html, "data-edition=\"vPC\"") == 1);
}

TEST_CASE("points stay inside the drawing even for buckets outside the window") {
  auto w = day_window();
  w.buckets = {bucket(protocol::edition::vws, w.from - 86400, 1, 1),
               bucket(protocol::edition::vws, w.to + 86400, 1, 1)};
  const std::string html = render_usage_chart(w);
  CHECK(html.find("cx=\"-") == std::string::npos);
  CHECK(html.find("cx=\"72.0\"") != std::string::npos);
  CHECK(html.find("cx=\"592.0\"") != std::string::npos);
}

TEST_CASE("axis labels: times of day for a day, dates for a month") {
  auto w = day_window();
  w.buckets = {bucket(protocol::edition::vws, w.from, 1, 1)};
  const std::string from = protocol::format_rfc3339(w.from);  // 2026-11-17T08:53:20Z
  CHECK(render_usage_chart(w).find(from.substr(5, 5) + " " + from.substr(11, 5) + "Z") !=
        std::string::npos);
  w.from = w.to - 30 * 86400;
  w.bucket_seconds = 86400;
  CHECK(render_usage_chart(w).find(protocol::format_rfc3339(w.from).substr(0, 10)) !=
        std::string::npos);
}

TEST_CASE("a chart of a few minutes' history fills from the left, one bucket a twelfth wide") {
  constexpr protocol::unix_seconds now = 1'795'000'000;
  auto w = make_usage_window("Last 24 hours", "usage-24h", now, 86400, 3600, now - 30);
  REQUIRE(w.bucket_seconds == 60);
  auto b = bucket(protocol::edition::vws, w.from, 1, 2);
  b.denied = 3;
  w.buckets = {b};
  const std::string html = render_usage_chart(w);
  // The plot is 520 units wide (72 to 592); 12 minutes of axis, one minute refused.
  CHECK(html.find("x=\"72.0\" y=\"204\" width=\"43.3\"") != std::string::npos);
  CHECK(html.find("cx=\"592.0\"") == std::string::npos);
}
