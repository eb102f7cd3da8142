#include "ctl/human_format.h"

#include <array>
#include <utility>

namespace vgls::ctl {

std::string format_time(protocol::unix_seconds t) {
  std::string text = protocol::format_rfc3339(t);
  if (const auto pos = text.find('T'); pos != std::string::npos)
    text[pos] = ' ';
  return text;
}

std::string format_span(std::int64_t seconds) {
  if (seconds < 0)
    seconds = -seconds;
  static constexpr std::array<std::pair<std::int64_t, char>, 4> units = {
      {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}};
  std::string out;
  int parts = 0;
  for (const auto& [size, unit] : units) {
    const std::int64_t count = seconds / size;
    if (count == 0 && parts == 0)
      continue;
    seconds -= count * size;
    if (count != 0) {
      if (!out.empty())
        out += ' ';
      out += std::to_string(count) + unit;
    }
    // The largest unit found and the one below it, even if that one is zero.
    if (++parts == 2)
      break;
  }
  return out.empty() ? "0s" : out;
}

std::string format_relative(std::int64_t seconds_from_now) {
  if (seconds_from_now == 0)
    return "now";
  if (seconds_from_now > 0)
    return "in " + format_span(seconds_from_now);
  return format_span(seconds_from_now) + " ago";
}

}  // namespace vgls::ctl
