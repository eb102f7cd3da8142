#include "config_support/config_file.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "config_support/byte_size.h"
#include "config_support/log_levels.h"
#include "config_support/nearest_name.h"
#include "protocol/time_input.h"

namespace vgls::config {

namespace detail {
struct document_state {
  std::string source;
  toml::table root;
};
}  // namespace detail

namespace {

using protocol::status;

const toml::node& node_of(const void* node) {
  return *static_cast<const toml::node*>(node);
}

const toml::table& table_of(const void* table) {
  return *static_cast<const toml::table*>(table);
}

std::string place(const detail::document_state& document, std::uint32_t line) {
  return document.source + ":" + std::to_string(line);
}

std::string in_quotes(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto name : names) {
    if (!out.empty()) {
      out += ", ";
    }
    out += name;
  }
  return out;
}

constexpr std::string_view duration_forms = R"(a duration such as "30s", "15m", "24h", "90d")";

// TOML's own date and time values, in the text form parse_time_input takes.
std::string two_digits(unsigned value) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02u", value % 100);
  return buffer;
}

std::string date_text(const toml::date& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04u-%02u-%02u", static_cast<unsigned>(date.year),
                static_cast<unsigned>(date.month), static_cast<unsigned>(date.day));
  return buffer;
}

std::string date_time_text(const toml::date_time& moment) {
  std::string out = date_text(moment.date) + "T" + two_digits(moment.time.hour) + ":" +
                    two_digits(moment.time.minute) + ":" + two_digits(moment.time.second);
  const int minutes = moment.offset->minutes;
  const int size = minutes < 0 ? -minutes : minutes;
  out += (minutes < 0 ? "-" : "+") + two_digits(static_cast<unsigned>(size / 60)) + ":" +
         two_digits(static_cast<unsigned>(size % 60));
  return out;
}

}  // namespace

// --- config_value

config_value::config_value(std::shared_ptr<const detail::document_state> document, const void* node,
                           std::string key)
    : document_(std::move(document)), node_(node), key_(std::move(key)) {}

std::uint32_t config_value::line() const {
  return node_of(node_).source().begin.line;
}

std::string config_value::where() const {
  return place(*document_, line());
}

status config_value::error(std::string_view problem) const {
  return status::invalid(key_, where() + ": " + key_ + ": " + std::string(problem));
}

bool config_value::is_table() const {
  const auto& node = node_of(node_);
  return node.is_table() || node.is_array_of_tables();
}

protocol::result<std::string> config_value::string() const {
  const auto* text = node_of(node_).as_string();
  if (text == nullptr) {
    return error("must be a string");
  }
  return text->get();
}

protocol::result<std::filesystem::path> config_value::path() const {
  const auto* text = node_of(node_).as_string();
  if (text == nullptr || text->get().empty()) {
    return error("must be a path (a string that is not empty)");
  }
  return std::filesystem::path(text->get());
}

protocol::result<bool> config_value::boolean() const {
  const auto* value = node_of(node_).as_boolean();
  if (value == nullptr) {
    return error("must be true or false");
  }
  return value->get();
}

protocol::result<std::int64_t> config_value::integer(std::int64_t low, std::int64_t high) const {
  const auto* value = node_of(node_).as_integer();
  if (value == nullptr || value->get() < low || value->get() > high) {
    return error("must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return value->get();
}

protocol::result<std::int64_t> config_value::integer() const {
  const auto* value = node_of(node_).as_integer();
  if (value == nullptr) {
    return error("must be an integer");
  }
  return value->get();
}

protocol::result<double> config_value::number() const {
  const auto& node = node_of(node_);
  if (const auto* whole = node.as_integer()) {
    return static_cast<double>(whole->get());
  }
  if (const auto* real = node.as_floating_point()) {
    return real->get();
  }
  return error("must be a number");
}

protocol::result<std::int64_t> config_value::duration(std::int64_t low, std::int64_t high) const {
  const auto* text = node_of(node_).as_string();
  if (text == nullptr) {
    return error("must be " + std::string(duration_forms));
  }
  const auto seconds = protocol::parse_duration(text->get());
  if (!seconds) {
    return error(in_quotes(text->get()) + " is not " + std::string(duration_forms));
  }
  if (*seconds < low || *seconds > high) {
    return error("must be from " + protocol::format_duration(low) + " to " +
                 protocol::format_duration(high));
  }
  return *seconds;
}

protocol::result<std::int64_t> config_value::size(std::int64_t low, std::int64_t high) const {
  const auto& node = node_of(node_);
  const std::string expected =
      "must be an integer number of bytes, or " + std::string(byte_size_forms);
  std::optional<std::int64_t> bytes;
  if (const auto* whole = node.as_integer()) {
    bytes = whole->get();
  } else if (const auto* text = node.as_string()) {
    bytes = parse_byte_size(text->get());
    if (!bytes) {
      return error(expected + ", not " + in_quotes(text->get()));
    }
  } else {
    return error(expected);
  }
  if (*bytes < low || *bytes > high) {
    return error("must be from " + format_byte_size(low) + " to " + format_byte_size(high));
  }
  return *bytes;
}

protocol::result<protocol::unix_seconds> config_value::time() const {
  const auto& node = node_of(node_);
  std::string text;
  if (const auto* written = node.as_string()) {
    text = written->get();
  } else if (const auto* date = node.as_date()) {
    text = date_text(date->get());
  } else if (const auto* moment = node.as_date_time()) {
    if (!moment->get().offset) {
      return error("has no time zone: add Z (UTC) or an offset such as +02:00");
    }
    text = date_time_text(moment->get());
  } else {
    return error("must be " + std::string(protocol::time_input_forms));
  }
  const auto t = protocol::parse_time_input(text);
  if (!t) {
    return error(in_quotes(text) + " is not " + std::string(protocol::time_input_forms));
  }
  return *t;
}

protocol::result<std::string> config_value::log_level() const {
  const auto* text = node_of(node_).as_string();
  if (text == nullptr || !is_log_level(text->get())) {
    return error("must be one of " + std::string(log_level_list));
  }
  return text->get();
}

protocol::result<std::string> config_value::one_of(
    std::initializer_list<std::string_view> choices) const {
  const auto* text = node_of(node_).as_string();
  if (text != nullptr && std::find(choices.begin(), choices.end(), text->get()) != choices.end()) {
    return text->get();
  }
  // "must be "a" or "b"", "must be one of "a", "b" or "c"".
  std::string list;
  std::size_t i = 0;
  for (auto choice : choices) {
    if (i > 0) {
      list += i + 1 == choices.size() ? " or " : ", ";
    }
    list += in_quotes(choice);
    ++i;
  }
  return error((choices.size() > 2 ? "must be one of " : "must be ") + list);
}

protocol::result<std::vector<std::string>> config_value::string_list() const {
  const auto& node = node_of(node_);
  if (const auto* one = node.as_string()) {
    return std::vector<std::string>{one->get()};
  }
  const auto* list = node.as_array();
  if (list == nullptr) {
    return error("must be a list of strings, e.g. [\"a\", \"b\"]");
  }
  std::vector<std::string> out;
  for (const auto& item : *list) {
    const auto* text = item.as_string();
    if (text == nullptr) {
      return status::invalid(key_, place(*document_, item.source().begin.line) + ": " + key_ +
                                       ": every entry must be a string");
    }
    out.push_back(text->get());
  }
  return out;
}

protocol::result<config_table> config_value::table() const {
  const auto* table = node_of(node_).as_table();
  if (table == nullptr) {
    return error("must be a table: [" + key_ + "] or { key = value }");
  }
  return config_table(document_, table, key_, false);
}

protocol::result<std::vector<config_table>> config_value::tables() const {
  const auto* array = node_of(node_).as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return error("must be written as [[" + key_ + "]] tables");
  }
  std::vector<config_table> out;
  for (const auto& element : *array) {
    out.push_back(config_table(document_, element.as_table(), key_, true));
  }
  return out;
}

// --- config_table

config_table::config_table(std::shared_ptr<const detail::document_state> document,
                           const void* table, std::string key, bool array_entry)
    : document_(std::move(document)),
      table_(table),
      key_(std::move(key)),
      array_entry_(array_entry) {}

std::uint32_t config_table::line() const {
  return table_of(table_).source().begin.line;
}

std::string config_table::where() const {
  return place(*document_, line());
}

std::string config_table::name() const {
  if (key_.empty()) {
    return "the top level";
  }
  return array_entry_ ? "[[" + key_ + "]]" : "[" + key_ + "]";
}

std::vector<config_value> config_table::entries() const {
  std::vector<config_value> out;
  for (const auto& [name, node] : table_of(table_)) {
    std::string key = key_.empty() ? std::string(name.str()) : key_ + "." + std::string(name.str());
    out.push_back(config_value(document_, &node, std::move(key)));
  }
  // toml++ keeps a table's keys sorted; the first error should be the first in the file.
  std::stable_sort(out.begin(), out.end(), [](const config_value& a, const config_value& b) {
    return a.line() < b.line();
  });
  return out;
}

status config_table::missing(std::string_view key) const {
  const std::string full = key_.empty() ? std::string(key) : key_ + "." + std::string(key);
  return status::invalid(full, where() + ": " + full + ": is required in every " + name());
}

status read_keys(const config_table& table, const std::vector<key_rule>& rules) {
  for (const auto& value : table.entries()) {
    const std::string_view name =
        std::string_view(value.key()).substr(table.key().empty() ? 0 : table.key().size() + 1);
    const auto rule =
        std::find_if(rules.begin(), rules.end(), [&](const key_rule& r) { return r.name == name; });
    if (rule != rules.end()) {
      if (auto s = rule->read(value); !s) {
        return s;
      }
      continue;
    }
    std::vector<std::string_view> known;
    for (const auto& r : rules) {
      known.push_back(r.name);
    }
    const bool section = value.is_table();
    std::string problem = std::string(section ? "unknown section" : "unknown key") +
                          (table.key().empty() ? " at the top level" : " in " + table.name());
    if (auto nearest = nearest_name(name, known)) {
      problem += " (did you mean " + std::string(*nearest) + "?)";
    }
    problem +=
        "; known " + std::string(section ? "sections and keys" : "keys") + ": " + joined(known);
    return value.error(problem);
  }
  return status::ok();
}

// --- config_document

protocol::result<config_document> config_document::parse(std::string_view text,
                                                         std::string source) {
  auto document = std::make_shared<detail::document_state>();
  document->source = std::move(source);
  try {
    document->root = toml::parse(text, document->source);
  } catch (const toml::parse_error& error) {
    return status::invalid({}, document->source + ":" + std::to_string(error.source().begin.line) +
                                   ":" + std::to_string(error.source().begin.column) +
                                   ": not valid TOML: " + std::string(error.description()));
  }
  return config_document(std::move(document));
}

protocol::result<config_document> config_document::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return status::invalid({}, path.string() +
                                   ": cannot read the configuration file (missing or "
                                   "not readable)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

const std::string& config_document::source() const {
  return document_->source;
}

std::optional<config_value> config_document::find(std::string_view dotted_key) const {
  const toml::node* node = document_->root.at_path(dotted_key).node();
  if (node == nullptr) {
    return std::nullopt;
  }
  return config_value(document_, node, std::string(dotted_key));
}

config_table config_document::root() const {
  return config_table(document_, &document_->root, {}, false);
}

}  // namespace vgls::config
