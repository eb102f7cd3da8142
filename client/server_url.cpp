#include <algorithm>
#include <cctype>

#include "client/http_client.h"

namespace vgls::client {

namespace {

bool set_error(std::string* error, std::string message) {
  if (error != nullptr)
    *error = std::move(message);
  return false;
}

bool is_port(std::string_view text) {
  if (text.empty() || text.size() > 5)
    return false;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const int value = std::stoi(std::string(text));
  return value > 0 && value <= 65535;
}

}  // namespace

std::optional<server_url> parse_server_url(std::string_view text, std::string* error) {
  server_url url;
  url.text = std::string(text);
  std::string_view rest = text;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    url.tls = true;
    rest.remove_prefix(8);
  } else {
    set_error(error, "server URL '" + url.text + "' must start with http:// or https://");
    return std::nullopt;
  }
  // A trailing "/" is common in configs; a path beyond it is not something vgls serves under.
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (rest.substr(slash) != "/") {
      set_error(error, "server URL '" + url.text + "' must not have a path");
      return std::nullopt;
    }
    rest = rest.substr(0, slash);
  }
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with("[")) {  // IPv6 literal: [::1]:7070
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      set_error(error, "server URL '" + url.text + "' has an unclosed IPv6 address");
      return std::nullopt;
    }
    host = rest.substr(1, close - 1);
    const auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') {
        set_error(error, "server URL '" + url.text + "' is malformed after the address");
        return std::nullopt;
      }
      port = after.substr(1);
    }
  } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) {
    set_error(error, "server URL '" + url.text + "' has no host");
    return std::nullopt;
  }
  if (!port.empty() && !is_port(port)) {
    set_error(error, "server URL '" + url.text + "' has an invalid port");
    return std::nullopt;
  }
  url.host = std::string(host);
  url.port = port.empty() ? "7070" : std::string(port);
  return url;
}

std::string http_response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return {};
}

}  // namespace vgls::client
