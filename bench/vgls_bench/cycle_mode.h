// `cycle`: every keep-alive connection loops check out → renew → release until the deadline, one
// request in flight per connection. Connection i checks out as client PREFIX-c<i>, so a cycle cut
// short by a broken connection is picked up again by the next checkout (answered 200, existing).
#pragma once

#include <nlohmann/json.hpp>

#include "bench/vgls_bench/bench_options.h"
#include "bench/vgls_bench/run_stats.h"
#include "bench/vgls_bench/server_endpoint.h"

namespace vgls::bench {

// The traffic alone, shared with expire-storm: `options.connections` connections on
// `options.threads` threads until `deadline`. Latency samples are stamped relative to `epoch`.
run_stats cycle_traffic(const bench_options& options, const server_endpoint& server,
                        bench_clock::time_point epoch, bench_clock::time_point deadline);

// The whole mode: optional pool setup, the traffic for --duration, and the result.
nlohmann::json run_cycle_mode(const bench_options& options);

}  // namespace vgls::bench
