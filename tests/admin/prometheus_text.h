// A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: it keeps
// HELP and TYPE per family and every sample with its labels unescaped, and reports what is not
// well formed instead of guessing. Not a general-purpose parser (no timestamps, no exemplars).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vgls::testing {

struct prometheus_sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct prometheus_family {
  std::string help;
  std::string type;  // counter, gauge, histogram, summary, untyped
  std::vector<prometheus_sample> samples;
};

struct prometheus_text {
  std::map<std::string, prometheus_family> families;
  // Lines that could not be read, or samples without a HELP/TYPE family; empty when all is well.
  std::vector<std::string> problems;

  // The value of `name` with exactly these labels, if there is such a sample.
  std::optional<double> value(const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) const;
};

prometheus_text parse_prometheus_text(const std::string& text);

}  // namespace vgls::testing
