// Points in time as an operator writes them: in vglsctl's arguments (--expires-at, --starts-at)
// and in the configuration files (a [[pool]]'s expires_at and starts_at). One parser, so that a
// date that vglsctl takes is a date that vglsd.toml takes. Pure functions.
//
// Accepted forms (docs/admin.md and docs/server.md list them for operators):
//   2027-06-30T00:00:00Z          RFC 3339, as parse_rfc3339 takes it: "Z" or a numeric offset
//   2027-06-30T12:00:00+02:00     ("+02:00", "-05:30"), optional fractional seconds (dropped)
//   2027-06-30 12:00:00Z          the same with a space between date and time (RFC 3339 §5.6)
//   2027-06-30                    a date alone: 00:00:00 UTC that day
// A time without "Z" or an offset is refused: it would depend on a time zone vgls does not know.
// Relative forms ("in 90 days") are not times: vglsctl's --days and [[pool]]'s `days` say those.
#pragma once

#include <optional>
#include <string_view>

#include "protocol/time.h"

namespace vgls::protocol {

// nullopt when `text` is none of the forms above.
std::optional<unix_seconds> parse_time_input(std::string_view text);

// How the accepted forms are named in error messages.
inline constexpr std::string_view time_input_forms =
    "an RFC 3339 time such as 2027-06-30T00:00:00Z or a date such as 2027-06-30 (00:00 UTC)";

}  // namespace vgls::protocol
