#include "bench/vgls_bench/latency_recorder.h"

#include <algorithm>
#include <cmath>

namespace vgls::bench {

void latency_recorder::merge(const latency_recorder& other) {
  samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
}

latency_summary latency_recorder::summarize(std::int64_t from_ns, std::int64_t to_ns) const {
  std::vector<std::int64_t> latencies;
  latencies.reserve(samples_.size());
  for (const auto& s : samples_) {
    if (s.completed_at_ns >= from_ns && s.completed_at_ns < to_ns)
      latencies.push_back(s.latency_ns);
  }
  latency_summary summary;
  summary.count = latencies.size();
  if (latencies.empty())
    return summary;
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double q) {
    // Nearest rank: the smallest sample with at least q of all samples at or below it.
    auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(latencies.size())));
    rank = std::clamp<std::size_t>(rank, 1, latencies.size());
    return static_cast<double>(latencies[rank - 1]) / 1e6;
  };
  summary.p50_ms = at(0.50);
  summary.p90_ms = at(0.90);
  summary.p99_ms = at(0.99);
  summary.max_ms = static_cast<double>(latencies.back()) / 1e6;
  return summary;
}

}  // namespace vgls::bench
