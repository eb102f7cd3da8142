#include "server/status_page/usage_chart.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "protocol/time.h"
#include "server/status_page/html_escape.h"

namespace vgls::server {
namespace {

// The drawing area in SVG units; the element scales to its container's width.
constexpr int chart_width = 600;
constexpr int chart_height = 220;
constexpr int margin_left = 44;
constexpr int margin_right = 8;
constexpr int margin_top = 10;
constexpr int margin_bottom = 24;

std::string_view edition_colour(protocol::edition e) {
  switch (e) {
    case protocol::edition::vapp:
      return "#1b9e77";
    case protocol::edition::vpc:
      return "#d95f02";
    case protocol::edition::vws:
      return "#7570b3";
    case protocol::edition::vcs:
      return "#e7298a";
  }
  return "#555";
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// Axis labels: "11-24 10:00Z" for short windows, dates for long ones.
std::string axis_label(protocol::unix_seconds t, std::int64_t window_seconds) {
  const std::string full = protocol::format_rfc3339(t);  // 2026-11-24T10:00:00Z
  if (window_seconds <= 2 * protocol::seconds_per_day)
    return full.substr(5, 5) + " " + full.substr(11, 5) + "Z";
  return full.substr(0, 10);
}

}  // namespace

std::string render_usage_chart(const usage_window& window) {
  // Editions that never had seats nor leases in the window would only draw flat lines at zero.
  std::set<protocol::edition> shown;
  std::int64_t top = 1;
  for (const auto& bucket : window.buckets) {
    if (bucket.peak_used != 0 || bucket.seats != 0 || bucket.granted != 0 || bucket.denied != 0)
      shown.insert(bucket.edition);
    top = std::max({top, bucket.peak_used, bucket.seats});
  }
  std::map<protocol::edition, std::vector<const protocol::usage_bucket*>> by_edition;
  for (const auto& bucket : window.buckets) {
    if (shown.count(bucket.edition) != 0)
      by_edition[bucket.edition].push_back(&bucket);
  }

  std::string html = "<figure class=\"chart\" id=\"";
  append_html_escaped(html, window.id);
  html += "\"><figcaption>";
  append_html_escaped(html, window.title);
  html += " &middot; peak leases per " + protocol::format_duration(window.bucket_seconds) +
          "</figcaption>";
  if (by_edition.empty()) {
    html += "<p class=\"muted\">No usage in this period.</p></figure>";
    return html;
  }

  const double span = static_cast<double>(std::max<std::int64_t>(1, window.to - window.from));
  const double plot_width = chart_width - margin_left - margin_right;
  const double plot_height = chart_height - margin_top - margin_bottom;
  auto x_of = [&](protocol::unix_seconds t) {
    const double clamped = std::clamp(static_cast<double>(t - window.from), 0.0, span);
    return margin_left + clamped / span * plot_width;
  };
  auto y_of = [&](std::int64_t value) {
    return margin_top + plot_height -
           static_cast<double>(value) / static_cast<double>(top) * plot_height;
  };

  html += "<svg viewBox=\"0 0 " + std::to_string(chart_width) + " " + std::to_string(chart_height) +
          "\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\" aria-label=\"";
  append_html_escaped(html, window.title);
  html += "\">";
  // Frame, gridlines and y labels at 0, half and the top.
  for (const std::int64_t value : {std::int64_t{0}, top / 2, top}) {
    const std::string y = number(y_of(value));
    html += "<line class=\"grid\" x1=\"" + std::to_string(margin_left) + "\" x2=\"" +
            std::to_string(chart_width - margin_right) + "\" y1=\"" + y + "\" y2=\"" + y + "\"/>";
    html += "<text class=\"axis\" x=\"" + std::to_string(margin_left - 6) + "\" y=\"" + y +
            "\" text-anchor=\"end\" dominant-baseline=\"middle\">" + std::to_string(value) +
            "</text>";
  }
  const std::string axis_y = std::to_string(chart_height - 6);
  html += "<text class=\"axis\" x=\"" + std::to_string(margin_left) + "\" y=\"" + axis_y + "\">" +
          axis_label(window.from, window.to - window.from) + "</text>";
  html += "<text class=\"axis\" x=\"" + std::to_string(chart_width - margin_right) + "\" y=\"" +
          axis_y + "\" text-anchor=\"end\">" + axis_label(window.to, window.to - window.from) +
          "</text>";

  const std::int64_t half_bucket = window.bucket_seconds / 2;
  for (auto& [edition, buckets] : by_edition) {
    std::sort(buckets.begin(), buckets.end(),
              [](const auto* a, const auto* b) { return a->start < b->start; });
    const std::string colour(edition_colour(edition));
    const std::string name(protocol::to_string(edition));
    std::string used_points;
    std::string seat_points;
    std::string dots;
    for (const auto* bucket : buckets) {
      const std::string x = number(x_of(bucket->start + half_bucket));
      used_points += x + "," + number(y_of(bucket->peak_used)) + " ";
      seat_points += x + "," + number(y_of(bucket->seats)) + " ";
      dots += "<circle cx=\"" + x + "\" cy=\"" + number(y_of(bucket->peak_used)) +
              "\" r=\"2.5\" fill=\"" + colour + "\"><title>" + name + " " +
              protocol::format_rfc3339(bucket->start) + ": peak " +
              std::to_string(bucket->peak_used) + " of " + std::to_string(bucket->seats) +
              " seats, " + std::to_string(bucket->granted) + " granted, " +
              std::to_string(bucket->denied) + " denied</title></circle>";
    }
    html += "<g class=\"series\" data-edition=\"" + name + "\">";
    html += "<polyline class=\"seats\" fill=\"none\" stroke=\"" + colour +
            "\" stroke-dasharray=\"4 3\" stroke-opacity=\"0.5\" points=\"" + seat_points + "\"/>";
    html += "<polyline class=\"used\" fill=\"none\" stroke=\"" + colour +
            "\" stroke-width=\"2\" points=\"" + used_points + "\"/>";
    html += dots + "</g>";
  }
  html += "</svg><div class=\"legend\">";
  for (const auto& [edition, buckets] : by_edition) {
    html += "<span><i style=\"background:" + std::string(edition_colour(edition)) + "\"></i>" +
            std::string(protocol::to_string(edition)) + "</span>";
  }
  html += "<span class=\"muted\">solid: peak leases &middot; dashed: seats</span></div></figure>";
  return html;
}

}  // namespace vgls::server
