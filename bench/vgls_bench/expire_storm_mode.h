// `expire-storm`: N leases end at one moment while cycle traffic runs, and checkout latency is
// reported before, during and after that moment.
//
// All N must end at the same second, which a fill at a few thousand leases per second cannot
// arrange through the lease duration. So they are checked out of their own pool
// (--storm-pool, --storm-edition, N seats, kind subscription) that expires --storm-in seconds after
// the start: a lease never outlives its pool (SPEC §1 rule 2), so every one of them ends then —
// the morning a subscription runs out. The cycle traffic uses --edition (vWS by default), which
// that pool cannot serve, from the pools the server already has (or --create-pool). The server's
// lease duration must be longer than --storm-in.
#pragma once

#include <nlohmann/json.hpp>

#include "bench/vgls_bench/bench_options.h"

namespace vgls::bench {

// Throws std::runtime_error without the admin token, or when the fill does not finish a second
// before the storm (raise --storm-in).
nlohmann::json run_expire_storm_mode(const bench_options& options);

}  // namespace vgls::bench
