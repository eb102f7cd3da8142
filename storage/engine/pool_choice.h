// The pool-choice rule of SPEC §1 rule 3, as a pure function over a snapshot of candidate pools,
// so that it can be tested alone. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "protocol/edition.h"
#include "protocol/status.h"
#include "protocol/time.h"

namespace vgls::storage {

// What the rule needs to know of one pool at the moment of the decision.
struct pool_candidate {
  std::string_view id;
  protocol::edition edition = protocol::edition::vapp;
  std::int64_t seats = 0;
  std::int64_t used = 0;  // active leases now
  protocol::unix_seconds starts_at = 0;
  std::optional<protocol::unix_seconds> expires_at;
};

// True when a pool of `pool_edition` can serve a request for `requested` at all.
bool can_serve(protocol::edition pool_edition, protocol::edition requested, bool allow_upgrade);

// The index in `pools` of the pool to grant from, or the SPEC error: no_pool_for_edition when none
// can serve, license_expired when none of those is active (expired or not started),
// no_seat_available when every active one is full. Order: exact edition before upgrade, then the
// soonest expiry (perpetual last), then id.
protocol::result<std::size_t> choose_pool(std::span<const pool_candidate> pools,
                                          protocol::edition requested, bool allow_upgrade,
                                          protocol::unix_seconds now);

}  // namespace vgls::storage
