#include "protocol/validation.h"

namespace vgls::protocol {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

constexpr std::size_t lease_id_prefix_bytes = 4;  // "lse_"
constexpr std::size_t min_lease_id_body = 22;     // 22 base64url chars carry 132 bits
constexpr std::size_t max_lease_id_body = 64;

}  // namespace

bool is_valid_client_id(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return false;
  }
  for (char c : id) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != ':' && c != '-') {
      return false;
    }
  }
  return true;
}

bool is_valid_pool_id(std::string_view id) {
  if (id.empty() || id.size() > 63 || !is_lower_alnum(id.front())) {
    return false;
  }
  for (char c : id) {
    if (!is_lower_alnum(c) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

bool is_valid_lease_id(std::string_view id) {
  if (id.substr(0, lease_id_prefix_bytes) != "lse_") {
    return false;
  }
  const std::string_view body = id.substr(lease_id_prefix_bytes);
  if (body.size() < min_lease_id_body || body.size() > max_lease_id_body) {
    return false;
  }
  for (char c : body) {
    if (!is_alnum(c) && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;  // allowed range of the second byte (excludes overlongs, surrogates)
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 == 0xE0) {
      len = 3;
      lo = 0xA0;
    } else if (b0 >= 0xE1 && b0 <= 0xEC) {
      len = 3;
    } else if (b0 == 0xED) {
      len = 3;
      hi = 0x9F;
    } else if (b0 >= 0xEE && b0 <= 0xEF) {
      len = 3;
    } else if (b0 == 0xF0) {
      len = 4;
      lo = 0x90;
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
      len = 4;
    } else if (b0 == 0xF4) {
      len = 4;
      hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n) {
      return false;
    }
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    if (b1 < lo || b1 > hi) {
      return false;
    }
    for (std::size_t k = 2; k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (b < 0x80 || b > 0xBF) {
        return false;
      }
    }
    i += len;
  }
  return true;
}

}  // namespace vgls::protocol
