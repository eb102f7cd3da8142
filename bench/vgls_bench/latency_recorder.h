// Latency samples of one kind of request, each with the moment it completed, kept whole so that
// percentiles are exact and any time window can be summarized afterwards (the expire storm).
// One recorder per thread; merge() once the threads have joined. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <vector>

namespace vgls::bench {

struct latency_summary {
  std::uint64_t count = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

class latency_recorder {
 public:
  // `completed_at`: nanoseconds since the run's start; `latency`: how long the request took.
  void record(std::int64_t completed_at_ns, std::chrono::nanoseconds latency) {
    samples_.push_back({completed_at_ns, latency.count()});
  }
  void merge(const latency_recorder& other);
  std::uint64_t size() const { return samples_.size(); }

  // Nearest-rank percentiles of the samples completed in [from_ns, to_ns).
  latency_summary summarize(std::int64_t from_ns = std::numeric_limits<std::int64_t>::min(),
                            std::int64_t to_ns = std::numeric_limits<std::int64_t>::max()) const;

 private:
  struct sample {
    std::int64_t completed_at_ns;
    std::int64_t latency_ns;
  };
  std::vector<sample> samples_;
};

}  // namespace vgls::bench
