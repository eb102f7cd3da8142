// How the status page writes times, spans and table cells: one copy of each, shared by the page's
// sections. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/time.h"

namespace vgls::server {

// "2026-11-24 10:00:00Z"
std::string format_time(protocol::unix_seconds t);

// The two largest units: "3d 4h", "2h 5m", "45s"; negative spans count as 0.
std::string format_span(std::int64_t seconds);

// A <td> holding `text`, HTML-escaped, with an optional class.
std::string cell(std::string_view text, std::string_view css_class = {});

// The "Renewed" cell of a lease: "12m ago" with the time as a tooltip; "never" until the first
// renewal.
std::string renewed_cell(protocol::unix_seconds issued_at, protocol::unix_seconds renewed_at,
                         protocol::unix_seconds now);

// "lse_3q2k…": enough of a lease id to tell leases apart in a sentence; the whole id when short.
std::string short_lease_id(std::string_view id);

}  // namespace vgls::server
