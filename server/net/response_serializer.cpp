#include "server/net/response_serializer.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <charconv>
#include <stdexcept>
#include <string_view>

namespace vgls::server {
namespace {

namespace http = boost::beast::http;

// Beast trims header values this way when they are set.
std::string_view trim(std::string_view value) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!value.empty() && is_space(value.front()))
    value.remove_prefix(1);
  while (!value.empty() && is_space(value.back()))
    value.remove_suffix(1);
  return value;
}

bool same_name(std::string_view a, std::string_view b) {
  return boost::beast::iequals(a, b);
}

// Beast writes the version and the code digit by digit, whatever their size.
void append_status_line(std::string& out, unsigned version, unsigned code) {
  char start[] = "HTTP/x.x nnn ";
  start[5] = static_cast<char>('0' + version / 10);
  start[7] = static_cast<char>('0' + version % 10);
  start[9] = static_cast<char>('0' + code / 100);
  start[10] = static_cast<char>('0' + (code / 10) % 10);
  start[11] = static_cast<char>('0' + code % 10);
  out.append(start, sizeof start - 1);
  const auto reason = http::obsolete_reason(static_cast<http::status>(code));
  out.append(reason.data(), reason.size());
  out.append("\r\n");
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(trim(value));
  out.append("\r\n");
}

// A later header of the same name replaced this one in Beast's fields.
bool replaced_later(const outgoing_response& answer, std::size_t index) {
  const auto& headers = answer.headers;
  for (std::size_t later = index + 1; later < headers.size(); ++later) {
    if (same_name(headers[index].first, headers[later].first))
      return true;
  }
  return false;
}

bool must_be_bodiless(unsigned code) {
  return code / 100 == 1 || code == 204 || code == 304;
}

}  // namespace

void serialize_response(const outgoing_response& answer, unsigned version, bool keep_alive,
                        std::string& out) {
  const auto code = static_cast<unsigned>(answer.status);
  if (must_be_bodiless(code) && !answer.body.empty())
    throw std::invalid_argument("invalid response body");

  out.clear();
  append_status_line(out, version, code);

  bool content_type_replaced = false;
  for (const auto& [name, value] : answer.headers)
    content_type_replaced = content_type_replaced || same_name(name, "Content-Type");
  if (!answer.content_type.empty() && !content_type_replaced)
    append_field(out, "Content-Type", answer.content_type);
  for (std::size_t i = 0; i < answer.headers.size(); ++i) {
    if (!replaced_later(answer, i))
      append_field(out, answer.headers[i].first, answer.headers[i].second);
  }

  if (version >= 11 && !keep_alive)
    out.append("Connection: close\r\n");
  else if (version < 11 && keep_alive)
    out.append("Connection: keep-alive\r\n");

  char digits[20];
  const auto length = std::to_chars(digits, digits + sizeof digits, answer.body.size()).ptr;
  out.append("Content-Length: ");
  out.append(digits, length);
  out.append("\r\n\r\n");
  out.append(answer.body);
}

void serialize_continue(unsigned version, std::string& out) {
  out.clear();
  append_status_line(out, version, 100);
  out.append("\r\n");
}

}  // namespace vgls::server
