// The exit codes of vgls-agent (SPEC §4), shared by every command.
#pragma once

namespace vgls::agent::exit_code {

inline constexpr int ok = 0;       // done; for `status`: licensed
inline constexpr int refused = 1;  // a server refused (its error printed); `status`: not licensed
inline constexpr int usage = 2;    // bad command line or configuration
inline constexpr int unreachable = 3;  // no server could be reached

}  // namespace vgls::agent::exit_code
