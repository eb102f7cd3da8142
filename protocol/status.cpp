#include "protocol/status.h"

#include <array>

namespace vgls::protocol {
namespace {

struct code_row {
  error_code code;
  std::string_view name;
  int http;
};

// SPEC §2, the one table of codes and their HTTP statuses.
constexpr std::array<code_row, 21> code_table = {{
    {error_code::ok, "ok", 200},
    {error_code::invalid_request, "invalid_request", 400},
    {error_code::unknown_edition, "unknown_edition", 400},
    {error_code::unauthorized, "unauthorized", 401},
    {error_code::not_found, "not_found", 404},
    {error_code::lease_not_found, "lease_not_found", 404},
    {error_code::pool_not_found, "pool_not_found", 404},
    {error_code::no_pool_for_edition, "no_pool_for_edition", 404},
    {error_code::license_expired, "license_expired", 403},
    {error_code::method_not_allowed, "method_not_allowed", 405},
    {error_code::no_seat_available, "no_seat_available", 409},
    {error_code::pool_exists, "pool_exists", 409},
    {error_code::pool_in_use, "pool_in_use", 409},
    {error_code::payload_too_large, "payload_too_large", 413},
    {error_code::unsupported_media_type, "unsupported_media_type", 415},
    {error_code::rate_limited, "rate_limited", 429},
    {error_code::internal_error, "internal_error", 500},
    {error_code::unavailable, "unavailable", 503},
    {error_code::forbidden, "forbidden", 403},
    {error_code::token_exists, "token_exists", 409},
    {error_code::token_not_found, "token_not_found", 404},
}};

const code_row& row_of(error_code code) {
  for (const auto& row : code_table) {
    if (row.code == code) {
      return row;
    }
  }
  return code_table[static_cast<std::size_t>(error_code::internal_error)];
}

}  // namespace

std::string_view to_string(error_code code) {
  return row_of(code).name;
}

std::optional<error_code> error_code_from_string(std::string_view text) {
  for (const auto& row : code_table) {
    if (row.name == text) {
      return row.code;
    }
  }
  return std::nullopt;
}

int http_status(error_code code) {
  return row_of(code).http;
}

std::string status::to_string() const {
  std::string out(protocol::to_string(code_));
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace vgls::protocol
