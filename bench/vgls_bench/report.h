// A run's result as one JSON object (what --json prints) and its plain-text rendering for people.
#pragma once

#include <nlohmann/json.hpp>

#include "bench/vgls_bench/latency_recorder.h"
#include "bench/vgls_bench/run_stats.h"

namespace vgls::bench {

nlohmann::json to_json(const latency_summary& summary);

// {"checkout": {...}, "renew": {...}, ...} over the whole run.
nlohmann::json latencies_json(const run_stats& stats);

// Prints `result` on stdout: as one line of JSON, or as "key: value" lines.
void print_report(const nlohmann::json& result, bool as_json);

}  // namespace vgls::bench
