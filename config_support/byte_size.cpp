#include "config_support/byte_size.h"

#include <limits>

namespace vgls::config {
namespace {

struct unit {
  std::string_view suffix;
  std::int64_t factor;
};

constexpr std::int64_t kib = 1024;
constexpr unit units[] = {
    {"KiB", kib}, {"MiB", kib* kib}, {"GiB", kib* kib* kib}, {"K", kib},
    {"k", kib},   {"M", kib* kib},   {"G", kib* kib* kib},   {"B", 1},
};

}  // namespace

std::optional<std::int64_t> parse_byte_size(std::string_view text) {
  std::int64_t factor = 1;
  for (const auto& u : units) {
    if (text.size() > u.suffix.size() && text.ends_with(u.suffix)) {
      factor = u.factor;
      text.remove_suffix(u.suffix.size());
      break;
    }
  }
  if (text.empty()) {
    return std::nullopt;
  }
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    const int digit = c - '0';
    if (value > (max - digit) / 10) {
      return std::nullopt;
    }
    value = value * 10 + digit;
  }
  if (value > max / factor) {
    return std::nullopt;
  }
  return value * factor;
}

std::string format_byte_size(std::int64_t bytes) {
  if (bytes > 0) {
    for (const auto& u : {units[2], units[1], units[0]}) {
      if (bytes % u.factor == 0) {
        return std::to_string(bytes / u.factor) + std::string(u.suffix);
      }
    }
  }
  return std::to_string(bytes) + " bytes";
}

}  // namespace vgls::config
