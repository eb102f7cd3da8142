// `bootstorm`: N clients, each on its own new connection (as N VMs booting), all checking out at
// once; at most --concurrency connections open at a time (the process's file limit and the
// server's max_connections bound it). Client i checks out as PREFIX-i, from source address
// 127.0.0.(1 + i % K). A transport error is retried (--retries) after a short pause, as an agent
// would. Reports the time until the last client holds a lease, outcomes by SPEC code, and — with
// the admin token — every pool's used against its seats afterwards.
#pragma once

#include <nlohmann/json.hpp>

#include "bench/vgls_bench/bench_options.h"

namespace vgls::bench {

// The result; "over_seats" is true when any pool had more leases than seats afterwards.
nlohmann::json run_bootstorm_mode(const bench_options& options);

}  // namespace vgls::bench
