// How vglsctl writes times and spans for people. Scripts get RFC 3339 through --json and --csv.
// Pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/time.h"

namespace vgls::ctl {

// "2026-11-24 10:00:00Z": RFC 3339 with a space, easier to read in a column.
std::string format_time(protocol::unix_seconds t);

// The two largest units of a span: "3d 4h", "2h 5m", "45s", "0s". Negative spans use their size.
std::string format_span(std::int64_t seconds);

// "in 3d 4h" for a future instant, "2h 5m ago" for a past one, "now" for zero.
std::string format_relative(std::int64_t seconds_from_now);

}  // namespace vgls::ctl
