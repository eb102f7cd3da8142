// Access roles (SPEC §9): what a token may do. Each role includes the ones before it: a viewer
// reads, an operator also revokes leases and reclaims seats, an admin does everything.
#pragma once

#include <optional>
#include <string_view>

namespace vgls::protocol {

enum class role { viewer, operator_, admin };

// "viewer", "operator", "admin".
std::string_view to_string(role r);
// Inverse of to_string (exact spelling); nullopt for anything else.
std::optional<role> parse_role(std::string_view text);

// True when a token of role `held` may do what `needed` may.
constexpr bool reaches(role held, role needed) {
  return static_cast<int>(held) >= static_cast<int>(needed);
}

}  // namespace vgls::protocol
