#include "server/http/auth.h"

#include <openssl/crypto.h>

#include <cctype>
#include <cstdint>

#include "server/http/responses.h"

namespace vgls::server {
namespace {

bool starts_with_scheme(std::string_view header, std::string_view scheme) {
  if (header.size() <= scheme.size() || header[scheme.size()] != ' ')
    return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

std::optional<std::string_view> bearer_token(std::string_view header) {
  if (!starts_with_scheme(header, "Bearer"))
    return std::nullopt;
  return trim(header.substr(6));
}

std::optional<std::string> base64_decode(std::string_view text) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=')
      break;
    auto pos = alphabet.find(c);
    if (pos == std::string_view::npos)
      return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace

bool tokens_equal(std::string_view a, std::string_view b) {
  // The length is not secret (every generated token has the same length); the contents are.
  if (a.size() != b.size() || a.empty())
    return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool authenticator::is_admin_bearer(std::string_view authorization) const {
  auto token = bearer_token(authorization);
  return token && tokens_equal(*token, settings_.admin_token);
}

bool authenticator::is_admin_basic(std::string_view authorization) const {
  if (!starts_with_scheme(authorization, "Basic"))
    return false;
  auto decoded = base64_decode(trim(authorization.substr(5)));
  if (!decoded)
    return false;
  auto colon = decoded->find(':');
  if (colon == std::string::npos)
    return false;
  // Any user name: the admin token is the password.
  return tokens_equal(std::string_view(*decoded).substr(colon + 1), settings_.admin_token);
}

std::variant<caller, outgoing_response> authenticator::check(access level,
                                                             std::string_view authorization) const {
  using protocol::error_code;
  using protocol::status;
  const bool admin = is_admin_bearer(authorization);
  switch (level) {
    case access::open:
      return caller::anonymous;
    case access::metrics:
      if (settings_.metrics_public || admin)
        return admin ? caller::admin : caller::anonymous;
      return error_response(status::error(error_code::unauthorized,
                                          "the metrics need the admin token as a Bearer token"));
    case access::status_page:
      if (admin || is_admin_basic(authorization))
        return caller::admin;
      if (settings_.status_page_public)
        return caller::anonymous;
      return error_response(
          status::error(error_code::unauthorized,
                        "the status page needs the admin token (as the Basic password)"),
          "Basic realm=\"vgls\"");
    case access::client: {
      // The admin token counts everywhere, so that DELETE /v1/leases/{id} can revoke.
      if (admin)
        return caller::admin;
      if (!settings_.client_token)
        return caller::client;  // any other header is ignored
      auto token = bearer_token(authorization);
      if (token && tokens_equal(*token, *settings_.client_token))
        return caller::client;
      return error_response(status::error(
          error_code::unauthorized,
          authorization.empty() ? "this server requires a client token (Authorization: Bearer)"
                                : "the client token is wrong"));
    }
    case access::admin:
      if (admin)
        return caller::admin;
      return error_response(status::error(
          error_code::unauthorized, authorization.empty()
                                        ? "this route requires the admin token (Authorization: "
                                          "Bearer)"
                                        : "the admin token is wrong"));
  }
  return caller::anonymous;
}

}  // namespace vgls::server
