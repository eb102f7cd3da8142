// The status page's usage charts: inline SVG (no script, no external assets), one line per edition
// of peak concurrent leases per bucket, the edition's seats as a dashed line, and a tooltip per
// point with the bucket's numbers. Pure function.
#pragma once

#include <string>

#include "server/status_page/status_page_model.h"

namespace vgls::server {

// A <figure> holding the chart, its legend, and a caption; an explanatory line when the window
// has no usage at all.
std::string render_usage_chart(const usage_window& window);

}  // namespace vgls::server
