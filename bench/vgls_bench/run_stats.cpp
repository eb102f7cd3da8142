#include "bench/vgls_bench/run_stats.h"

namespace vgls::bench {

std::uint64_t run_stats::outcome(const std::string& name) const {
  const auto it = outcomes.find(name);
  return it == outcomes.end() ? 0 : it->second;
}

void run_stats::merge(const run_stats& other) {
  for (const auto& [kind, recorder] : other.latencies)
    latencies[kind].merge(recorder);
  for (const auto& [name, n] : other.outcomes)
    outcomes[name] += n;
  transport_errors += other.transport_errors;
  retries += other.retries;
}

}  // namespace vgls::bench
