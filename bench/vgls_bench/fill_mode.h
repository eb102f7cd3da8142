// `fill`: brings the store to N more active leases, checked out as PREFIX-f<i> over
// --connections keep-alive connections, and never released. Used alone (the 1,000,000-lease
// store) and by expire-storm.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/vgls_bench/bench_options.h"
#include "bench/vgls_bench/run_stats.h"
#include "bench/vgls_bench/server_endpoint.h"

namespace vgls::bench {

// Checks out `count` clients `client_prefix`-f0 … of `edition`; each answer's outcome counted.
run_stats fill_leases(const bench_options& options, const server_endpoint& server,
                      std::int64_t count, const std::string& edition,
                      const std::string& client_prefix);

nlohmann::json run_fill_mode(const bench_options& options);

}  // namespace vgls::bench
