// What one thread of a run observed: latencies per request kind and counts per outcome (granted,
// existing, renewed, released, or an error code of SPEC §2). Each thread owns one; the mode merges
// them after the threads have joined. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "bench/vgls_bench/latency_recorder.h"

namespace vgls::bench {

struct run_stats {
  std::map<std::string, latency_recorder> latencies;  // "checkout", "renew", "release", "cycle"
  std::map<std::string, std::uint64_t> outcomes;
  std::uint64_t transport_errors = 0;  // requests given up: no answer came back
  std::uint64_t retries = 0;           // attempts repeated after a transport error

  void count(const std::string& outcome) { ++outcomes[outcome]; }
  std::uint64_t outcome(const std::string& name) const;
  void merge(const run_stats& other);
};

// The clock every sample's `completed_at` is measured on, relative to a run's start.
using bench_clock = std::chrono::steady_clock;
inline std::int64_t since_ns(bench_clock::time_point start, bench_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t - start).count();
}

}  // namespace vgls::bench
