#include "server/status_page/page_format.h"

#include <algorithm>
#include <array>
#include <utility>

#include "server/status_page/html_escape.h"

namespace vgls::server {

std::string format_time(protocol::unix_seconds t) {
  std::string text = protocol::format_rfc3339(t);
  text[10] = ' ';
  return text;
}

std::string format_span(std::int64_t seconds) {
  seconds = std::max<std::int64_t>(0, seconds);
  static constexpr std::array<std::pair<std::int64_t, char>, 4> units = {
      {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}};
  for (std::size_t i = 0; i < units.size(); ++i) {
    const auto [size, unit] = units[i];
    if (seconds < size && i + 1 < units.size())
      continue;
    std::string text = std::to_string(seconds / size) + unit;
    if (i + 1 < units.size()) {
      const auto [next_size, next_unit] = units[i + 1];
      const std::int64_t rest = (seconds % size) / next_size;
      if (rest > 0)
        text += " " + std::to_string(rest) + next_unit;
    }
    return text;
  }
  return "0s";
}

std::string cell(std::string_view text, std::string_view css_class) {
  std::string html = css_class.empty() ? "<td>" : "<td class=\"" + std::string(css_class) + "\">";
  append_html_escaped(html, text);
  return html + "</td>";
}

std::string renewed_cell(protocol::unix_seconds issued_at, protocol::unix_seconds renewed_at,
                         protocol::unix_seconds now) {
  if (renewed_at <= issued_at)
    return "<td class=\"renewed muted\">never</td>";
  return "<td class=\"renewed\" title=\"" + format_time(renewed_at) + "\">" +
         format_span(now - renewed_at) + " ago</td>";
}

std::string short_lease_id(std::string_view id) {
  // "lse_" and 6 characters of the random part; the UTF-8 ellipsis marks the cut.
  constexpr std::size_t kept = 10;
  if (id.size() <= kept + 2)
    return std::string(id);
  return std::string(id.substr(0, kept)) + "\xE2\x80\xA6";
}

}  // namespace vgls::server
