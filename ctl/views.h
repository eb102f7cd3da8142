// The human and JSON shapes shared by several commands: the pool table (status, pool list, pool
// add/set), one line per event (events, also while following), and JSON printing that never throws.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "ctl/text_table.h"
#include "protocol/event.h"
#include "protocol/pool.h"

namespace vgls::ctl {

// Pools expiring within this many days are flagged, as on the status page.
inline constexpr std::int64_t expiry_warning_days = 14;

// POOL EDITION KIND USED SEATS STATE DAYS-LEFT EXPIRES.
text_table pool_table(const std::vector<protocol::pool_view>& pools);

// "12", "3 (expires soon)", "0 (expired)", "-" for perpetual.
std::string days_left_text(const protocol::pool_view& pool);

// "#42  2026-11-24 10:00:00Z  lease.granted  pool=… lease=… client=… edition=… {detail}".
std::string event_line(const protocol::event& e);

// Pretty JSON followed by a newline. Invalid UTF-8 is replaced rather than thrown about.
void print_json(std::ostream& out, const nlohmann::json& value);
// One compact JSON value per line (JSON Lines).
void print_json_line(std::ostream& out, const nlohmann::json& value);

}  // namespace vgls::ctl
