// The status page (SPEC §5) as a pure function of what was gathered: one self-contained HTML
// document (inline CSS, SVG and one inline script, no external assets, so it works air-gapped),
// which refreshes its data in place (status_page_script.h), or reloads itself without script.
// Every string from clients or admins is HTML-escaped.
//
// Stable hooks for tests and scripts: sections #pools, #leases, #events, #usage; pool rows
// `tr[data-pool-id][data-used][data-seats][data-state][data-urgency]`, sorted by urgency
// (pool_urgency.h), class "warn" on rows and days-left cells of pools that expire within 14 days
// or have expired; the banner `#pool-alerts` with one `li[data-pool-id][data-urgency]` per pool
// that has ended, is full or ends soon, each with its reason; per-edition totals
// `#edition-totals tr[data-edition][data-seats][data-used][data-free]`; the denial banner
// `#denial-alerts` with one `li[data-edition][data-refused]` per edition refused in the last hour;
// the oldest leases `#held-longest tr[data-lease-id][data-held-seconds]`; lease rows
// `tr[data-lease-id]` with a `td.renewed` cell; event rows `tr[data-event-id][data-type]` with the
// event in words in `td.what`; the clock warning `#clock-warning`.
#pragma once

#include <string>

#include "server/status_page/status_page_model.h"

namespace vgls::server {

std::string render_status_page(const status_page_model& model);

// Denials of `edition` in the last-day window (denials are counted by requested edition).
std::int64_t denials_in(const usage_window& window, protocol::edition edition);

}  // namespace vgls::server
