// The known name nearest to a misspelt one, for "did you mean …?" in error messages. Pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace vgls::config {

// Edit distance (insertions, deletions, substitutions) between two words.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, when it is close enough to be a slip of the keyboard: at most
// two edits, and fewer edits than half its length. Ties go to the earlier candidate.
std::optional<std::string_view> nearest_name(std::string_view word,
                                             const std::vector<std::string_view>& candidates);

}  // namespace vgls::config
