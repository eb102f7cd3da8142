#include "bench/vgls_bench/answer_fields.h"

namespace vgls::bench {
namespace {

std::size_t skip_spaces(std::string_view text, std::size_t at) {
  while (at < text.size() &&
         (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t'))
    ++at;
  return at;
}

}  // namespace

std::optional<std::string_view> string_field(std::string_view body, std::string_view name) {
  const std::string key = "\"" + std::string(name) + "\"";
  for (auto at = body.find(key); at != std::string_view::npos; at = body.find(key, at + 1)) {
    auto p = skip_spaces(body, at + key.size());
    // A key is followed by ':'; the same text as a value is not.
    if (p >= body.size() || body[p] != ':')
      continue;
    p = skip_spaces(body, p + 1);
    if (p >= body.size() || body[p] != '"')
      continue;
    const auto end = body.find('"', p + 1);
    if (end == std::string_view::npos)
      return std::nullopt;
    return body.substr(p + 1, end - p - 1);
  }
  return std::nullopt;
}

std::string outcome_of(int status, std::string_view body, std::string_view ok_name) {
  if (status == 201)
    return "granted";
  if (status == 200)
    return std::string(ok_name);
  if (status == 204)
    return "released";
  if (auto code = string_field(body, "code"))
    return std::string(*code);
  return "http_" + std::to_string(status);
}

}  // namespace vgls::bench
