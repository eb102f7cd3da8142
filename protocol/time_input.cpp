#include "protocol/time_input.h"

#include <string>

namespace vgls::protocol {

std::optional<unix_seconds> parse_time_input(std::string_view text) {
  if (auto t = parse_rfc3339(text)) {
    return t;
  }
  constexpr std::size_t date_length = 10;  // YYYY-MM-DD
  if (text.size() == date_length) {
    return parse_rfc3339(std::string(text) + "T00:00:00Z");
  }
  if (text.size() > date_length && text[date_length] == ' ') {
    std::string with_t(text);
    with_t[date_length] = 'T';
    return parse_rfc3339(with_t);
  }
  return std::nullopt;
}

}  // namespace vgls::protocol
