// Wall-clock instants and durations as they appear on the wire: RFC 3339 UTC in whole seconds
// ("2026-11-24T10:00:00Z") and durations written "30s", "15m", "24h", "90d". Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vgls::protocol {

// Seconds since the Unix epoch, UTC. Every instant in vgls has this type.
using unix_seconds = std::int64_t;

inline constexpr std::int64_t seconds_per_day = 86400;

// "2026-11-24T10:00:00Z".
std::string format_rfc3339(unix_seconds t);

// Accepts RFC 3339 with "Z" or a numeric offset and optional fractional seconds (truncated).
// nullopt when the text is not such a time.
std::optional<unix_seconds> parse_rfc3339(std::string_view text);

// "30s", "15m", "24h", "90d" → seconds. nullopt when malformed or not positive.
std::optional<std::int64_t> parse_duration(std::string_view text);

// The shortest exact spelling: 86400 → "1d", 90 → "90s".
std::string format_duration(std::int64_t seconds);

// Current wall-clock time.
unix_seconds system_now();

}  // namespace vgls::protocol
