// Syntactic rules for identifiers and client-supplied strings (SPEC §1, §2). Pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace vgls::protocol {

inline constexpr std::size_t max_hostname_bytes = 253;
inline constexpr std::size_t max_vgpu_profile_bytes = 64;
inline constexpr std::size_t max_labels = 16;
inline constexpr std::size_t max_label_bytes = 64;
inline constexpr int max_page_limit = 1000;

// [A-Za-z0-9._:-]{1,128}
bool is_valid_client_id(std::string_view id);

// [a-z0-9][a-z0-9._-]{0,62}
bool is_valid_pool_id(std::string_view id);

// What a lease id issued by vgls looks like: "lse_" followed by 22+ URL-safe base64 characters.
// Anything else cannot name an active lease.
bool is_valid_lease_id(std::string_view id);

// Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace vgls::protocol
