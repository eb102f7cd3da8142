// License editions, their spellings and aliases, the vGPU profile → edition rule, and the upgrade
// rule (SPEC §1). Pure functions, thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace vgls::protocol {

enum class edition { vapp, vpc, vws, vcs };

inline constexpr std::array<edition, 4> all_editions = {edition::vapp, edition::vpc, edition::vws,
                                                        edition::vcs};

// Canonical spelling: "vApp", "vPC", "vWS", "vCS".
std::string_view to_string(edition e);

// Case-insensitive; accepts canonical names and the SPEC aliases. nullopt → unknown_edition.
std::optional<edition> parse_edition(std::string_view text);

// The edition a vGPU profile name implies by its last letter (A vApp, B vPC, C vCS, Q vWS),
// e.g. "GRID P40-2Q" → vWS. nullopt when the name implies none.
std::optional<edition> edition_from_profile(std::string_view profile);

// True when a seat of `granted` may serve a request for `requested`: the same edition, or a vWS
// seat for a vPC or vCS request when upgrades are allowed.
bool satisfies(edition granted, edition requested, bool allow_upgrade);

}  // namespace vgls::protocol
