#include "storage/engine/pool_choice.h"

#include <limits>
#include <string>
#include <tuple>

namespace vgls::storage {

bool can_serve(protocol::edition pool_edition, protocol::edition requested, bool allow_upgrade) {
  return protocol::satisfies(pool_edition, requested, allow_upgrade);
}

protocol::result<std::size_t> choose_pool(std::span<const pool_candidate> pools,
                                          protocol::edition requested, bool allow_upgrade,
                                          protocol::unix_seconds now) {
  bool any_can_serve = false;
  bool any_active = false;
  std::optional<std::size_t> best;
  auto rank = [&](const pool_candidate& p) {
    const int tier = p.edition == requested ? 0 : 1;
    const auto expiry = p.expires_at.value_or(std::numeric_limits<protocol::unix_seconds>::max());
    return std::make_tuple(tier, expiry, p.id);
  };
  for (std::size_t i = 0; i < pools.size(); ++i) {
    const pool_candidate& p = pools[i];
    if (!can_serve(p.edition, requested, allow_upgrade)) {
      continue;
    }
    any_can_serve = true;
    const bool active = p.starts_at <= now && (!p.expires_at || now < *p.expires_at);
    if (!active) {
      continue;
    }
    any_active = true;
    if (p.used >= p.seats) {
      continue;
    }
    if (!best || rank(p) < rank(pools[*best])) {
      best = i;
    }
  }
  const std::string edition_name(protocol::to_string(requested));
  if (!any_can_serve) {
    return protocol::status::error(protocol::error_code::no_pool_for_edition,
                                   "no pool can serve " + edition_name);
  }
  if (!any_active) {
    return protocol::status::error(
        protocol::error_code::license_expired,
        "every pool that can serve " + edition_name + " is expired or not yet started");
  }
  if (!best) {
    return protocol::status::error(protocol::error_code::no_seat_available,
                                   "every pool that can serve " + edition_name + " is full");
  }
  return *best;
}

}  // namespace vgls::storage
