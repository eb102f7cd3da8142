// How urgently a pool needs an admin, as the status page's banner and pool order show it: one copy
// of the rules, pure functions of a pool_view, safe from any thread.
//
// Urgency, most urgent first: a pool that has ended; a pool with no free seat (used >= seats) while
// it grants; a pool that ends within `expiry_warning_days` (14); then every other pool. A pool that
// is both full and ending soon counts as full, and its reason says both.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/pool.h"

namespace vgls::server {

// A pool's days-left turns into a warning from this many days before it ends (SPEC §5).
inline constexpr std::int64_t expiry_warning_days = 14;

enum class pool_urgency { ended, full, ending_soon, fine };

// "ended", "full", "ending_soon", "fine": the page's data-urgency attribute.
std::string_view to_string(pool_urgency urgency);

pool_urgency urgency_of(const protocol::pool_view& view);

// True when the pool ends within the warning window, or has ended.
bool ends_soon(const protocol::pool_view& view);

// "vws-main is full (120/120)", "trial-vws ends in 3 days", "old-vpc ended 2026-11-01";
// empty for a pool that is fine.
std::string urgency_reason(const protocol::pool_view& view);

// The pools, most urgent first; pools ending soon by days left; otherwise the given order is kept.
std::vector<protocol::pool_view> sorted_by_urgency(std::vector<protocol::pool_view> pools);

}  // namespace vgls::server
