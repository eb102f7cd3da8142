// Reading vgls's TOML configuration files (vglsd.toml, agent.toml, SPEC §3, §4) by one set of
// rules, so that both loaders speak alike:
// - every error names the file, the line and the full key: "vglsd.toml:12: leases.duration: …";
// - a key that no rule reads is an error that says where it is, suggests the nearest known key
//   and lists them all (a misspelt key silently ignored would leave a setting at its default);
// - values are read by typed getters (strings, paths, booleans, integers, numbers, durations,
//   sizes, times, log levels) whose errors say what was expected.
// toml++ stays inside this library; nothing here throws. A config_document, and the tables and
// values read from it, are plain values that share the parsed text; not synchronised (a config
// is read by one thread at start).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/status.h"
#include "protocol/time.h"

namespace vgls::config {

namespace detail {
struct document_state;
}

class config_table;

// One value in the file, with its place and its full key.
class config_value {
 public:
  // "server.listen", "pool.seats", "labels.rack"; a top-level key alone: "servers".
  const std::string& key() const { return key_; }
  std::uint32_t line() const;
  // "vglsd.toml:12".
  std::string where() const;
  // "vglsd.toml:12: server.listen: <problem>", with the key as the status's field.
  protocol::status error(std::string_view problem) const;

  bool is_table() const;

  protocol::result<std::string> string() const;
  // A non-empty string.
  protocol::result<std::filesystem::path> path() const;
  protocol::result<bool> boolean() const;
  protocol::result<std::int64_t> integer(std::int64_t low, std::int64_t high) const;
  // Any integer, for a value whose range a shared rule checks (a [[pool]]'s seats and days).
  protocol::result<std::int64_t> integer() const;
  // An integer or a floating-point number.
  protocol::result<double> number() const;
  // A duration string, "30s", "15m", "24h", "90d", in seconds from `low` to `high`.
  protocol::result<std::int64_t> duration(std::int64_t low, std::int64_t high) const;
  // A size in bytes from `low` to `high`: an integer, or a string as parse_byte_size takes it.
  protocol::result<std::int64_t> size(std::int64_t low, std::int64_t high) const;
  // A point in time: a string in a form protocol::parse_time_input takes, or a TOML date
  // (2027-06-30, 00:00 UTC) or offset date-time (2027-06-30T00:00:00Z). A TOML local date-time
  // (no offset) is refused: its time zone is unknown.
  protocol::result<protocol::unix_seconds> time() const;
  // One of log_levels (config_support/log_levels.h).
  protocol::result<std::string> log_level() const;
  // One of `choices`, spelt exactly.
  protocol::result<std::string> one_of(std::initializer_list<std::string_view> choices) const;
  // A list of strings; a single string is a list of one.
  protocol::result<std::vector<std::string>> string_list() const;
  // A [table] or an inline table.
  protocol::result<config_table> table() const;
  // An array of tables, written [[key]].
  protocol::result<std::vector<config_table>> tables() const;

 private:
  friend class config_table;
  friend class config_document;
  config_value(std::shared_ptr<const detail::document_state> document, const void* node,
               std::string key);

  std::shared_ptr<const detail::document_state> document_;
  const void* node_;  // a toml::node inside document_; opaque here so toml++ stays inside
  std::string key_;
};

// One table: the top level, a [section], an inline table, or one [[section]] entry.
class config_table {
 public:
  // The table's own key: "" for the top level, "server", "pool", "labels".
  const std::string& key() const { return key_; }
  std::uint32_t line() const;
  // "vglsd.toml:12".
  std::string where() const;
  // How the table is named in messages: "the top level", "[server]", "[[pool]]".
  std::string name() const;
  // Its entries, in the order of the file.
  std::vector<config_value> entries() const;
  // "vglsd.toml:12: pool.edition: is required in every [[pool]]", naming the table's first line.
  protocol::status missing(std::string_view key) const;

 private:
  friend class config_value;
  friend class config_document;
  config_table(std::shared_ptr<const detail::document_state> document, const void* table,
               std::string key, bool array_entry);

  std::shared_ptr<const detail::document_state> document_;
  const void* table_;  // a toml::table inside document_
  std::string key_;
  bool array_entry_ = false;
};

// How one key is read: its name within its table and what to do with its value.
struct key_rule {
  std::string_view name;
  std::function<protocol::status(const config_value&)> read;
};

// Reads every entry of `table` with the rule of its name, in the order of the file, stopping at
// the first error. An entry with no rule is an error naming it, its table and line, the nearest
// known key when one is close, and the known keys:
//   vglsd.toml:3: server.max_conections: unknown key in [server] (did you mean max_connections?);
//   known keys: listen, data_dir, …
// ("unknown section" when the entry is itself a table).
protocol::status read_keys(const config_table& table, const std::vector<key_rule>& rules);

// Stores a getter's value in `out` (converting to its type), or passes its error on.
template <class T, class Out>
protocol::status assign(protocol::result<T> value, Out& out) {
  if (!value) {
    return value.error();
  }
  out = static_cast<Out>(std::move(value).value());
  return protocol::status::ok();
}

// A parsed TOML file.
class config_document {
 public:
  // Parses TOML text; `source` names it in errors (usually the file's path). A syntax error
  // names the line and column: "vglsd.toml:2:9: not valid TOML: …".
  static protocol::result<config_document> parse(std::string_view text, std::string source);
  // Reads and parses a file; a missing or unreadable file is an error naming it.
  static protocol::result<config_document> load(const std::filesystem::path& path);

  config_table root() const;
  // The value of a dotted key ("server.tls_cert"), when the file has it.
  std::optional<config_value> find(std::string_view dotted_key) const;
  // The name given to parse, or the path given to load.
  const std::string& source() const;

 private:
  explicit config_document(std::shared_ptr<const detail::document_state> document)
      : document_(std::move(document)) {}
  std::shared_ptr<const detail::document_state> document_;
};

}  // namespace vgls::config
