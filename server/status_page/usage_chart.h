// The status page's usage charts: inline SVG (no script, no external assets), one line per edition
// of peak concurrent leases per bucket, the edition's seats as a dashed line, a lane of red marks
// for buckets with refused checkouts, and a tooltip per point and mark with the bucket's numbers.
//
// The x axis starts at the window's first bucket, which is the installation's first start when
// that is later (no weeks of zeros before vgls ran), and is at least `min_chart_buckets` wide, so
// a few minutes of history fill the chart from the left. The y axis is scaled to the peak in use,
// with a quarter of headroom; the seats are in the scale only when they are near it (at most 1.5
// times the top), else the legend gives them as "above the scale", so three leases of a thousand
// seats still show their shape. Pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "server/status_page/status_page_model.h"

namespace vgls::server {

// A chart of a young installation has at least this many buckets where the bucket sizes allow.
inline constexpr std::int64_t min_chart_buckets = 12;

// The window of `span_seconds` up to `now` in buckets of `bucket_seconds`, starting at the
// bucket that holds `now - span_seconds`. When `installed_at` is later (0: unknown), the window
// starts at the bucket that holds it instead, and its buckets are the largest of the report's
// sizes (1d, 6h, 1h, 15m, 5m, 1m) up to `bucket_seconds` that give `min_chart_buckets`, or 1m.
// No buckets yet.
usage_window make_usage_window(std::string title, std::string id, protocol::unix_seconds now,
                               std::int64_t span_seconds, std::int64_t bucket_seconds,
                               protocol::unix_seconds installed_at);

// The top of the y axis for peaks up to `peak` and seats up to `seats` (see above).
std::int64_t chart_top(std::int64_t peak, std::int64_t seats);

// A <figure> holding the chart, its legend, and a caption; an explanatory line when the window
// has no usage at all.
std::string render_usage_chart(const usage_window& window);

}  // namespace vgls::server
