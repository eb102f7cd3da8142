#include "bench/vgls_bench/report.h"

#include <cstdio>
#include <iostream>
#include <string>

namespace vgls::bench {
namespace {

bool is_latency(const nlohmann::json& value) {
  return value.is_object() && value.contains("p99_ms") && value.contains("count");
}

std::string latency_line(const nlohmann::json& l) {
  char line[160];
  std::snprintf(line, sizeof line, "n=%llu p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms",
                static_cast<unsigned long long>(l["count"].get<std::uint64_t>()),
                l["p50_ms"].get<double>(), l["p90_ms"].get<double>(), l["p99_ms"].get<double>(),
                l["max_ms"].get<double>());
  return line;
}

void print_text(const nlohmann::json& value, const std::string& prefix) {
  for (const auto& [key, item] : value.items()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (is_latency(item))
      std::cout << name << ": " << latency_line(item) << "\n";
    else if (item.is_object() && !item.empty())
      print_text(item, name);
    else
      std::cout << name << ": " << item.dump() << "\n";
  }
}

}  // namespace

nlohmann::json to_json(const latency_summary& s) {
  return {{"count", s.count},
          {"p50_ms", s.p50_ms},
          {"p90_ms", s.p90_ms},
          {"p99_ms", s.p99_ms},
          {"max_ms", s.max_ms}};
}

nlohmann::json latencies_json(const run_stats& stats) {
  auto out = nlohmann::json::object();
  for (const auto& [kind, recorder] : stats.latencies)
    out[kind] = to_json(recorder.summarize());
  return out;
}

void print_report(const nlohmann::json& result, bool as_json) {
  if (as_json)
    std::cout << result.dump() << "\n";
  else
    print_text(result, "");
  std::cout.flush();
}

}  // namespace vgls::bench
