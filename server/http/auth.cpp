#include "server/http/auth.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

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

std::array<unsigned char, 32> digest_of(std::string_view secret) {
  std::array<unsigned char, 32> out{};
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), out.data());
  return out;
}

std::optional<std::array<unsigned char, 32>> digest_from_hex(std::string_view hex) {
  if (hex.size() != 64)
    return std::nullopt;
  std::array<unsigned char, 32> out{};
  for (std::size_t i = 0; i < 32; ++i) {
    int byte = 0;
    for (char c : hex.substr(i * 2, 2)) {
      byte <<= 4;
      if (c >= '0' && c <= '9')
        byte |= c - '0';
      else if (c >= 'a' && c <= 'f')
        byte |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        byte |= c - 'A' + 10;
      else
        return std::nullopt;
    }
    out[i] = static_cast<unsigned char>(byte);
  }
  return out;
}

// The password of a Basic header (any user name), if it is one.
std::optional<std::string> basic_password(std::string_view header) {
  if (!starts_with_scheme(header, "Basic"))
    return std::nullopt;
  auto decoded = base64_decode(trim(header.substr(5)));
  if (!decoded)
    return std::nullopt;
  auto colon = decoded->find(':');
  if (colon == std::string::npos)
    return std::nullopt;
  return decoded->substr(colon + 1);
}

protocol::status forbidden(const caller& who, protocol::role needed) {
  return protocol::status::error(
      protocol::error_code::forbidden,
      fmt::format("the token '{}' is a {} token; this needs the {} role", who.name,
                  protocol::to_string(who.role), protocol::to_string(needed)));
}

}  // namespace

bool tokens_equal(std::string_view a, std::string_view b) {
  // The length is not secret (every generated token has the same length); the contents are.
  if (a.size() != b.size() || a.empty())
    return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string secret_sha256_hex(std::string_view secret) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest_of(secret)) {
    out += hex[b >> 4];
    out += hex[b & 0xf];
  }
  return out;
}

authenticator::authenticator(auth_settings settings, credentials_source source)
    : settings_(std::move(settings)),
      source_(std::move(source)),
      admin_digest_(digest_of(settings_.admin_token)) {}

std::shared_ptr<const authenticator::table> authenticator::current() const {
  auto source = source_ ? source_() : nullptr;
  auto t = table_.load();
  if (t && t->source == source)
    return t;
  std::lock_guard lock(rebuild_mutex_);
  t = table_.load();
  if (t && t->source == source)
    return t;
  auto next = std::make_shared<table>();
  next->source = source;
  if (source) {
    for (const auto& token : source->tokens) {
      if (auto digest = digest_from_hex(token.secret_sha256_hex)) {
        next->entries.push_back({*digest, token.name, token.role, token.last_used_at});
      }
    }
  }
  std::shared_ptr<const table> out = std::move(next);
  table_.store(out);
  return out;
}

std::optional<caller> authenticator::identify(std::string_view secret) const {
  if (secret.empty())
    return std::nullopt;
  const auto digest = digest_of(secret);
  const auto t = current();
  // Every digest is compared, found or not, so the time says nothing about which one matched.
  const entry* found = nullptr;
  for (const auto& e : t->entries) {
    const bool same = CRYPTO_memcmp(e.digest.data(), digest.data(), digest.size()) == 0;
    if (same && found == nullptr)
      found = &e;
  }
  if (found != nullptr) {
    return caller{caller::kind::token, found->name, found->role, found->last_used_at};
  }
  // The admin token this node was started with, before the store has loaded it.
  if (!settings_.admin_token.empty() &&
      CRYPTO_memcmp(admin_digest_.data(), digest.data(), digest.size()) == 0) {
    return caller{caller::kind::token, "admin", protocol::role::admin, std::nullopt};
  }
  return std::nullopt;
}

std::variant<caller, outgoing_response> authenticator::check(access level,
                                                             std::string_view authorization) const {
  using protocol::error_code;
  using protocol::role;
  using protocol::status;
  if (level == access::open)
    return caller{};
  const auto bearer = bearer_token(authorization);
  // The hot path: a checkout or renew presenting the client token needs no look-up of names.
  if (level == access::client && settings_.client_token && bearer &&
      tokens_equal(*bearer, *settings_.client_token)) {
    return caller{caller::kind::client, {}, role::viewer, std::nullopt};
  }
  std::optional<caller> named = bearer ? identify(*bearer) : std::nullopt;
  switch (level) {
    case access::open:
      return caller{};
    case access::metrics:
      if (named)
        return *named;  // every role reaches viewer
      if (settings_.metrics_public)
        return caller{};
      return error_response(status::error(
          error_code::unauthorized, authorization.empty()
                                        ? "the metrics need a token (viewer or above) as a Bearer"
                                        : "the token is wrong"));
    case access::status_page:
      if (!named) {
        if (auto password = basic_password(authorization))
          named = identify(*password);
      }
      if (named)
        return *named;
      if (settings_.status_page_public)
        return caller{};
      return error_response(
          status::error(error_code::unauthorized,
                        "the status page needs a token (viewer or above; as the Basic password)"),
          "Basic realm=\"vgls\"");
    case access::client: {
      // Named tokens count here too, so that DELETE /v1/leases/{id} can revoke.
      if (named)
        return *named;
      if (!settings_.client_token)
        return caller{caller::kind::client, {}, role::viewer, std::nullopt};
      if (bearer && tokens_equal(*bearer, *settings_.client_token))
        return caller{caller::kind::client, {}, role::viewer, std::nullopt};
      return error_response(status::error(
          error_code::unauthorized,
          authorization.empty() ? "this server requires a client token (Authorization: Bearer)"
                                : "the client token is wrong"));
    }
    case access::viewer:
    case access::operator_:
    case access::admin: {
      const role needed = level == access::viewer      ? role::viewer
                          : level == access::operator_ ? role::operator_
                                                       : role::admin;
      if (named) {
        if (named->reaches(needed))
          return *named;
        return error_response(forbidden(*named, needed));
      }
      return error_response(status::error(
          error_code::unauthorized, authorization.empty()
                                        ? "this route requires a token (Authorization: Bearer)"
                                        : "the token is wrong"));
    }
  }
  return caller{};
}

}  // namespace vgls::server
