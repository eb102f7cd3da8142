#include "server/status_page/usage_chart.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "protocol/time.h"
#include "server/status_page/html_escape.h"

namespace vgls::server {
namespace {

// The drawing area in SVG units; the element scales to its container's width.
constexpr int chart_width = 600;
constexpr int chart_height = 240;
constexpr int margin_left = 72;
constexpr int margin_right = 8;
constexpr int margin_top = 10;
constexpr int margin_bottom = 42;
// The lane of denial marks, between the plot and the time labels.
constexpr int denial_lane_top = chart_height - margin_bottom + 6;
constexpr int denial_lane_height = 10;

constexpr std::string_view denial_colour = "#b42318";

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

protocol::unix_seconds align(protocol::unix_seconds t, std::int64_t bucket) {
  return t - (((t % bucket) + bucket) % bucket);
}

// Axis labels: "11-24 10:00Z" for short windows, dates for long ones.
std::string axis_label(protocol::unix_seconds t, std::int64_t window_seconds) {
  const std::string full = protocol::format_rfc3339(t);  // 2026-11-24T10:00:00Z
  if (window_seconds <= 2 * protocol::seconds_per_day)
    return full.substr(5, 5) + " " + full.substr(11, 5) + "Z";
  return full.substr(0, 10);
}

// The smallest of 1, 2, 3 … 10, then 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, … that is >= v.
std::int64_t nice_ceiling(std::int64_t v) {
  if (v <= 10)
    return std::max<std::int64_t>(1, v);
  static constexpr std::array<std::int64_t, 10> steps = {12, 15, 20, 25, 30, 40, 50, 60, 80, 100};
  std::int64_t scale = 1;
  while (v > 100 * scale)
    scale *= 10;
  for (const auto step : steps) {
    if (step * scale >= v)
      return step * scale;
  }
  return 100 * scale;
}

}  // namespace

usage_window make_usage_window(std::string title, std::string id, protocol::unix_seconds now,
                               std::int64_t span_seconds, std::int64_t bucket_seconds,
                               protocol::unix_seconds installed_at) {
  usage_window w;
  w.title = std::move(title);
  w.id = std::move(id);
  w.to = now;
  w.bucket_seconds = bucket_seconds;
  protocol::unix_seconds from = now - span_seconds;
  if (installed_at > from && installed_at <= now) {
    from = installed_at;
    w.since_install = true;
    // A young installation gets finer buckets, so that its few hours or days still draw a line
    // of at least `min_buckets` points rather than one dot.
    static constexpr std::array<std::int64_t, 6> sizes = {86400, 21600, 3600, 900, 300, 60};
    for (const auto size : sizes) {
      if (size > bucket_seconds)
        continue;
      w.bucket_seconds = size;
      if ((now - align(from, size)) / size >= min_chart_buckets)
        break;
    }
  }
  w.from = align(from, w.bucket_seconds);
  return w;
}

std::int64_t chart_top(std::int64_t peak, std::int64_t seats) {
  peak = std::max<std::int64_t>(1, peak);
  std::int64_t top = nice_ceiling(peak + (peak + 3) / 4);
  if (seats > top && 2 * seats <= 3 * top)
    top = nice_ceiling(seats);
  return top;
}

std::string render_usage_chart(const usage_window& window) {
  // Editions that never had seats nor leases in the window would only draw flat lines at zero.
  std::set<protocol::edition> shown;
  std::int64_t peak = 0;
  std::int64_t seats = 0;
  std::map<protocol::unix_seconds, std::array<std::int64_t, 4>> denied_at;
  for (const auto& bucket : window.buckets) {
    if (bucket.peak_used != 0 || bucket.seats != 0 || bucket.granted != 0 || bucket.denied != 0)
      shown.insert(bucket.edition);
    peak = std::max(peak, bucket.peak_used);
    seats = std::max(seats, bucket.seats);
    if (bucket.denied > 0)
      denied_at[bucket.start][static_cast<std::size_t>(bucket.edition)] += bucket.denied;
  }
  const std::int64_t top = chart_top(peak, seats);
  std::map<protocol::edition, std::vector<const protocol::usage_bucket*>> by_edition;
  for (const auto& bucket : window.buckets) {
    if (shown.count(bucket.edition) != 0)
      by_edition[bucket.edition].push_back(&bucket);
  }

  std::string html = "<figure class=\"chart\" id=\"";
  append_html_escaped(html, window.id);
  html += "\" data-top=\"" + std::to_string(top) + "\"><figcaption>";
  append_html_escaped(html, window.title);
  html += " &middot; peak leases per " + protocol::format_duration(window.bucket_seconds);
  if (window.since_install) {
    const std::string first = protocol::format_rfc3339(window.from);
    html += " <span class=\"muted since\">since the first start, " + first.substr(0, 10) + " " +
            first.substr(11, 5) + "Z</span>";
  }
  html += "</figcaption>";
  if (by_edition.empty()) {
    html += "<p class=\"muted\">No usage in this period.</p></figure>";
    return html;
  }

  // At least `min_chart_buckets` wide: a chart of a few minutes' history fills from the left
  // instead of stretching one bucket over the whole width.
  const protocol::unix_seconds axis_end =
      std::max(window.to, window.from + min_chart_buckets * window.bucket_seconds);
  const double span = static_cast<double>(std::max<std::int64_t>(1, axis_end - window.from));
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

  const std::string clip_id = html_escape(window.id) + "-plot";
  html += "<svg viewBox=\"0 0 " + std::to_string(chart_width) + " " + std::to_string(chart_height) +
          "\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\" aria-label=\"";
  append_html_escaped(html, window.title);
  html += "\"><defs><clipPath id=\"" + clip_id + "\"><rect x=\"" + std::to_string(margin_left) +
          "\" y=\"" + std::to_string(margin_top - 2) + "\" width=\"" + number(plot_width) +
          "\" height=\"" + number(plot_height + 4) + "\"/></clipPath></defs>";
  // Gridlines and y labels at 0, half (when whole) and the top.
  std::vector<std::int64_t> ticks = {0, top};
  if (top % 2 == 0 && top >= 2)
    ticks.insert(ticks.begin() + 1, top / 2);
  for (const std::int64_t value : ticks) {
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
          axis_y + "\" text-anchor=\"end\">" + axis_label(axis_end, window.to - window.from) +
          "</text>";

  const std::int64_t half_bucket = window.bucket_seconds / 2;
  std::vector<std::string> above_scale;  // "vWS 120"
  for (auto& [edition, buckets] : by_edition) {
    std::sort(buckets.begin(), buckets.end(),
              [](const auto* a, const auto* b) { return a->start < b->start; });
    const std::string colour(edition_colour(edition));
    const std::string name(protocol::to_string(edition));
    std::string used_points;
    std::string seat_points;
    std::string dots;
    std::int64_t edition_seats = 0;
    for (const auto* bucket : buckets) {
      // The open bucket's point sits at now, not in the future.
      const std::string x = number(x_of(std::min(bucket->start + half_bucket, window.to)));
      used_points += x + "," + number(y_of(bucket->peak_used)) + " ";
      seat_points += x + "," + number(y_of(bucket->seats)) + " ";
      edition_seats = std::max(edition_seats, bucket->seats);
      dots += "<circle cx=\"" + x + "\" cy=\"" + number(y_of(bucket->peak_used)) +
              "\" r=\"2.5\" fill=\"" + colour + "\"><title>" + name + " " +
              protocol::format_rfc3339(bucket->start) + ": peak " +
              std::to_string(bucket->peak_used) + " of " + std::to_string(bucket->seats) +
              " seats, " + std::to_string(bucket->granted) + " granted, " +
              std::to_string(bucket->denied) + " denied</title></circle>";
    }
    if (edition_seats > top)
      above_scale.push_back(name + " " + std::to_string(edition_seats));
    html += "<g class=\"series\" data-edition=\"" + name + "\">";
    html += "<polyline class=\"seats\" clip-path=\"url(#" + clip_id +
            ")\" fill=\"none\" stroke=\"" + colour +
            "\" stroke-dasharray=\"4 3\" stroke-opacity=\"0.5\" points=\"" + seat_points + "\"/>";
    html += "<polyline class=\"used\" fill=\"none\" stroke=\"" + colour +
            "\" stroke-width=\"2\" points=\"" + used_points + "\"/>";
    html += dots + "</g>";
  }

  if (!denied_at.empty()) {
    html += "<g class=\"denials\"><text class=\"axis\" x=\"" + std::to_string(margin_left - 6) +
            "\" y=\"" + number(denial_lane_top + denial_lane_height / 2.0) +
            "\" text-anchor=\"end\" dominant-baseline=\"middle\">refused</text>";
    for (const auto& [start, per_edition] : denied_at) {
      std::int64_t total = 0;
      std::string which;
      for (const auto e : protocol::all_editions) {
        const auto n = per_edition[static_cast<std::size_t>(e)];
        if (n == 0)
          continue;
        total += n;
        which += (which.empty() ? "" : ", ") + std::string(protocol::to_string(e)) + " " +
                 std::to_string(n);
      }
      const double left = x_of(start);
      const double right = x_of(start + window.bucket_seconds);
      const double width = std::max(3.0, right - left);
      html += "<rect data-start=\"" + protocol::format_rfc3339(start) + "\" data-denied=\"" +
              std::to_string(total) + "\" x=\"" + number(std::min(left, right - width)) +
              "\" y=\"" + std::to_string(denial_lane_top) + "\" width=\"" + number(width) +
              "\" height=\"" + std::to_string(denial_lane_height) + "\" fill=\"" +
              std::string(denial_colour) + "\"><title>" + protocol::format_rfc3339(start) + ": " +
              std::to_string(total) + (total == 1 ? " checkout" : " checkouts") + " refused (" +
              which + ")</title></rect>";
    }
    html += "</g>";
  }

  html += "</svg><div class=\"legend\">";
  for (const auto& [edition, buckets] : by_edition) {
    html += "<span><i style=\"background:" + std::string(edition_colour(edition)) + "\"></i>" +
            std::string(protocol::to_string(edition)) + "</span>";
  }
  if (!denied_at.empty()) {
    html += "<span class=\"refused\"><i style=\"background:" + std::string(denial_colour) +
            "\"></i>refused checkouts</span>";
  }
  html += "<span class=\"muted\">solid: peak leases &middot; dashed: seats</span>";
  if (!above_scale.empty()) {
    std::string list;
    for (const auto& item : above_scale)
      list += (list.empty() ? "" : ", ") + item;
    html += "<span class=\"muted above-scale\">seats above the scale: " + list + "</span>";
  }
  html += "</div></figure>";
  return html;
}

}  // namespace vgls::server
