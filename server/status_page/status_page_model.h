// Everything the status page shows, gathered before rendering so that rendering is a pure
// function (status_page_render.h) that unit tests can drive without a server or a store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/event.h"
#include "protocol/pool.h"
#include "protocol/requests.h"
#include "protocol/usage.h"
#include "server/status_page/lease_filter.h"
#include "server/status_page/pool_urgency.h"

namespace vgls::server {

// One usage chart: the buckets of one window, every edition.
struct usage_window {
  std::string title;  // "Last 24 hours"
  std::string id;     // element id, e.g. "usage-24h"
  protocol::unix_seconds from = 0;
  protocol::unix_seconds to = 0;
  std::int64_t bucket_seconds = 3600;
  // The installation is younger than the window: `from` is its first start's bucket.
  bool since_install = false;
  std::vector<protocol::usage_bucket> buckets;
};

struct status_page_model {
  // Server facts.
  std::string version;
  std::int64_t uptime_seconds = 0;
  std::string storage_backend;
  protocol::unix_seconds now = 0;  // the store's effective time
  protocol::unix_seconds clock_high_water = 0;
  bool clock_rollback = false;
  std::int64_t leases_active = 0;

  std::vector<protocol::pool_view> pools;  // in any order: the page sorts them by urgency

  // The lease table: one page of at most `lease_page_size`, filtered by the query parameters.
  lease_filter filter;
  std::vector<std::string> filter_problems;  // parameters that were ignored, and why
  std::optional<protocol::lease_page> leases;
  std::string leases_error;  // why there is no lease page (e.g. a stale cursor)

  std::vector<protocol::event> recent_events;  // newest first
  std::string events_error;

  usage_window last_day;
  usage_window last_month;
  std::string usage_error;

  // Denials of the last hour (one-minute buckets) for the banner, and the upgrade rule the
  // engine applies, to say what stands in the way now (denial_alerts.h).
  std::vector<protocol::usage_bucket> last_hour;
  bool allow_upgrade = true;

  // The oldest active leases (held_longest.h).
  std::vector<protocol::lease> held_longest;
  std::string held_longest_error;

  int refresh_seconds = 30;
};

inline constexpr int lease_page_size = 50;
inline constexpr int recent_event_count = 20;

}  // namespace vgls::server
