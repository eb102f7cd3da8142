// A pool: a counted set of seats of one edition (SPEC §1), and the view of it that admins see.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/edition.h"
#include "protocol/time.h"

namespace vgls::protocol {

enum class pool_kind { trial, subscription, perpetual };
enum class pool_state { active, expired, not_started };

std::string_view to_string(pool_kind kind);
std::optional<pool_kind> parse_pool_kind(std::string_view text);
std::string_view to_string(pool_state state);

inline constexpr std::int64_t max_pool_seats = 10'000'000;

struct pool {
  std::string id;
  protocol::edition edition = protocol::edition::vapp;
  std::int64_t seats = 0;
  pool_kind kind = pool_kind::subscription;
  unix_seconds starts_at = 0;
  std::optional<unix_seconds> expires_at;  // nullopt only for perpetual pools
};

// A pool as GET /v1/pools shows it at one instant.
struct pool_view {
  protocol::pool pool;
  std::int64_t used = 0;
  pool_state state = pool_state::active;
  std::optional<std::int64_t> days_left;  // nullopt when perpetual
};

// The state of `p` at `now`: not_started before starts_at, expired from expires_at on.
pool_state state_at(const pool& p, unix_seconds now);

// Whole days until expiry rounded down, 0 once expired, nullopt when perpetual.
std::optional<std::int64_t> days_left_at(const pool& p, unix_seconds now);

}  // namespace vgls::protocol
