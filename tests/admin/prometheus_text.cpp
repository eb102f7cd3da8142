#include "tests/admin/prometheus_text.h"

#include <cstdlib>
#include <sstream>

namespace vgls::testing {
namespace {

bool is_name_char(char c, bool first) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  return letter || (!first && c >= '0' && c <= '9');
}

// Reads a metric or label name at `pos`; empty when there is none.
std::string read_name(const std::string& line, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < line.size() && is_name_char(line[pos], pos == start))
    ++pos;
  return line.substr(start, pos - start);
}

// Reads a quoted label value at `pos` (on the opening quote), undoing \\, \" and \n.
std::optional<std::string> read_label_value(const std::string& line, std::size_t& pos) {
  if (pos >= line.size() || line[pos] != '"')
    return std::nullopt;
  std::string value;
  for (++pos; pos < line.size(); ++pos) {
    const char c = line[pos];
    if (c == '"') {
      ++pos;
      return value;
    }
    if (c == '\\') {
      if (++pos >= line.size())
        return std::nullopt;
      switch (line[pos]) {
        case '\\':
          value += '\\';
          break;
        case '"':
          value += '"';
          break;
        case 'n':
          value += '\n';
          break;
        default:
          return std::nullopt;  // no other escapes exist
      }
    } else {
      value += c;
    }
  }
  return std::nullopt;
}

// The family a sample belongs to: histogram samples carry _bucket, _sum and _count suffixes.
std::string family_of(const std::string& sample, const prometheus_text& text) {
  if (text.families.count(sample) != 0)
    return sample;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0)
      return sample.substr(0, sample.size() - s.size());
  }
  return sample;
}

}  // namespace

std::optional<double> prometheus_text::value(
    const std::string& name, const std::map<std::string, std::string>& labels) const {
  const auto family = families.find(family_of(name, *this));
  if (family == families.end())
    return std::nullopt;
  for (const auto& sample : family->second.samples) {
    if (sample.name == name && sample.labels == labels)
      return sample.value;
  }
  return std::nullopt;
}

prometheus_text parse_prometheus_text(const std::string& text) {
  prometheus_text parsed;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty())
      continue;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
      const bool help = line[2] == 'H';
      std::size_t pos = 7;
      const std::string name = read_name(line, pos);
      if (name.empty() || pos >= line.size() || line[pos] != ' ') {
        parsed.problems.push_back("bad comment: " + line);
        continue;
      }
      auto& family = parsed.families[name];
      (help ? family.help : family.type) = line.substr(pos + 1);
      continue;
    }
    if (line[0] == '#')
      continue;

    prometheus_sample sample;
    std::size_t pos = 0;
    sample.name = read_name(line, pos);
    bool ok = !sample.name.empty();
    if (ok && pos < line.size() && line[pos] == '{') {
      ++pos;
      while (ok && pos < line.size() && line[pos] != '}') {
        const std::string label = read_name(line, pos);
        ok = !label.empty() && pos < line.size() && line[pos] == '=';
        if (!ok)
          break;
        ++pos;
        auto value = read_label_value(line, pos);
        ok = value.has_value() && sample.labels.emplace(label, *value).second;
        if (ok && pos < line.size() && line[pos] == ',')
          ++pos;
      }
      ok = ok && pos < line.size() && line[pos] == '}';
      ++pos;
    }
    ok = ok && pos < line.size() && line[pos] == ' ';
    if (ok) {
      const std::string number = line.substr(pos + 1);
      if (number == "+Inf" || number == "-Inf" || number == "NaN") {
        sample.value = number == "-Inf" ? -1e308 : 1e308;
      } else {
        char* end = nullptr;
        sample.value = std::strtod(number.c_str(), &end);
        ok = !number.empty() && end == number.c_str() + number.size();
      }
    }
    if (!ok) {
      parsed.problems.push_back("bad sample: " + line);
      continue;
    }
    const std::string family_name = family_of(sample.name, parsed);
    auto family = parsed.families.find(family_name);
    if (family == parsed.families.end() || family->second.help.empty() ||
        family->second.type.empty()) {
      parsed.problems.push_back("sample without HELP and TYPE before it: " + line);
      continue;
    }
    family->second.samples.push_back(std::move(sample));
  }
  return parsed;
}

}  // namespace vgls::testing
