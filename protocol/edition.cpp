#include "protocol/edition.h"

#include <cctype>
#include <string>

namespace vgls::protocol {
namespace {

struct spelling {
  std::string_view text;  // lower case
  edition value;
};

// Canonical names (lower-cased) and the SPEC §1 aliases.
constexpr spelling spellings[] = {
    {"vapp", edition::vapp},
    {"vapps", edition::vapp},
    {"grid-virtual-apps", edition::vapp},
    {"vpc", edition::vpc},
    {"grid-virtual-pc", edition::vpc},
    {"vws", edition::vws},
    {"vdws", edition::vws},
    {"qdws", edition::vws},
    {"rtx-vws", edition::vws},
    {"vcs", edition::vcs},
    {"nvaie-vcs", edition::vcs},
    {"compute", edition::vcs},
};

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::string_view to_string(edition e) {
  switch (e) {
    case edition::vapp:
      return "vApp";
    case edition::vpc:
      return "vPC";
    case edition::vws:
      return "vWS";
    case edition::vcs:
      return "vCS";
  }
  return "vApp";
}

std::optional<edition> parse_edition(std::string_view text) {
  // Longest spelling is short; anything longer cannot match and need not be copied.
  if (text.empty() || text.size() > 32) {
    return std::nullopt;
  }
  std::string folded;
  folded.reserve(text.size());
  for (char c : text) {
    folded.push_back(lower(c));
  }
  for (const auto& s : spellings) {
    if (s.text == folded) {
      return s.value;
    }
  }
  return std::nullopt;
}

std::optional<edition> edition_from_profile(std::string_view profile) {
  while (!profile.empty() && is_space(profile.back())) {
    profile.remove_suffix(1);
  }
  while (!profile.empty() && is_space(profile.front())) {
    profile.remove_prefix(1);
  }
  // Profile names end in <frame buffer size><letter> ("P40-2Q", "A100-4C"); requiring the digit
  // keeps words that merely end in a, b, c or q ("generic", "GRID") from implying an edition.
  if (profile.size() < 2 ||
      !std::isdigit(static_cast<unsigned char>(profile[profile.size() - 2]))) {
    return std::nullopt;
  }
  switch (lower(profile.back())) {
    case 'a':
      return edition::vapp;
    case 'b':
      return edition::vpc;
    case 'c':
      return edition::vcs;
    case 'q':
      return edition::vws;
    default:
      return std::nullopt;
  }
}

bool satisfies(edition granted, edition requested, bool allow_upgrade) {
  if (granted == requested) {
    return true;
  }
  return allow_upgrade && granted == edition::vws &&
         (requested == edition::vpc || requested == edition::vcs);
}

}  // namespace vgls::protocol
