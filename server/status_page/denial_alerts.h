// Checkouts refused in the last hour, per edition, as the status page's banner names them: "vWS:
// 20 checkouts refused in the last hour — no seat free". The engine counts denials by the edition
// a client asked for (usage buckets, SPEC §2 /v1/usage), not by pool: a refused checkout got no
// pool. So the banner names editions, and says what stands in the way now, read from the pools
// the same way the engine chooses (SPEC §1 rule 3, with the upgrade rule as configured). Pure
// functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/pool.h"
#include "protocol/usage.h"

namespace vgls::server {

// The banner looks this far back.
inline constexpr std::int64_t denial_window_seconds = 3600;

enum class refusal_cause {
  no_seat,     // every pool that can serve grants, and all are full
  no_pool,     // no pool can serve the edition at all
  not_active,  // pools can serve, but none grants now (ended, or not started)
  seats_free,  // a pool can serve it now: the refusals were earlier
};

struct denial_alert {
  protocol::edition edition = protocol::edition::vapp;  // as requested
  std::int64_t refused = 0;
  refusal_cause cause = refusal_cause::no_seat;
};

// What a checkout for `requested` would meet now.
refusal_cause refusal_cause_now(protocol::edition requested,
                                const std::vector<protocol::pool_view>& pools, bool allow_upgrade);

// One alert per edition with denials in `buckets` (any bucket size; the caller reads the last
// hour), in the order of protocol::all_editions.
std::vector<denial_alert> denial_alerts(const std::vector<protocol::usage_bucket>& buckets,
                                        const std::vector<protocol::pool_view>& pools,
                                        bool allow_upgrade);

// "vWS: 20 checkouts refused in the last hour — no seat free". Plain text.
std::string describe(const denial_alert& alert);

}  // namespace vgls::server
