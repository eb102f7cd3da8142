#include "protocol/pool.h"

namespace vgls::protocol {

std::string_view to_string(pool_kind kind) {
  switch (kind) {
    case pool_kind::trial:
      return "trial";
    case pool_kind::subscription:
      return "subscription";
    case pool_kind::perpetual:
      return "perpetual";
  }
  return "subscription";
}

std::optional<pool_kind> parse_pool_kind(std::string_view text) {
  for (pool_kind kind : {pool_kind::trial, pool_kind::subscription, pool_kind::perpetual}) {
    if (to_string(kind) == text) {
      return kind;
    }
  }
  return std::nullopt;
}

std::string_view to_string(pool_state state) {
  switch (state) {
    case pool_state::active:
      return "active";
    case pool_state::expired:
      return "expired";
    case pool_state::not_started:
      return "not_started";
  }
  return "active";
}

pool_state state_at(const pool& p, unix_seconds now) {
  // Expiry wins over not-yet-started: a window that closed is closed, whatever its start.
  if (p.expires_at && now >= *p.expires_at) {
    return pool_state::expired;
  }
  if (now < p.starts_at) {
    return pool_state::not_started;
  }
  return pool_state::active;
}

std::optional<std::int64_t> days_left_at(const pool& p, unix_seconds now) {
  if (!p.expires_at) {
    return std::nullopt;
  }
  if (now >= *p.expires_at) {
    return 0;
  }
  return (*p.expires_at - now) / seconds_per_day;
}

}  // namespace vgls::protocol
