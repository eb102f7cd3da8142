#include "server/config/server_config.h"

#include <toml++/toml.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

#include "protocol/edition.h"
#include "protocol/pool.h"
#include "protocol/pool_rules.h"
#include "protocol/time.h"
#include "protocol/validation.h"

namespace vgls::server {
namespace {

using protocol::status;

constexpr std::int64_t max_lease_seconds = 30 * protocol::seconds_per_day;

// Walks one parsed document and fills a server_config, stopping at the first error. Every error
// names the source, the line and the full key ("leases.duration"), because an operator's typo must
// point at the line to fix.
class config_reader {
 public:
  config_reader(std::string_view source, server_config& config)
      : source_(source), config_(config) {}

  status read(const toml::table& root) {
    for (auto&& [key, node] : root) {
      const std::string name(key.str());
      status s;
      if (name == "pool") {
        s = read_pools(name, node);
      } else if (auto* table = node.as_table()) {
        if (name == "server") {
          s = read_server(*table);
        } else if (name == "storage") {
          s = read_storage(*table);
        } else if (name == "leases") {
          s = read_leases(*table);
        } else if (name == "trial") {
          s = read_trial(*table);
        } else if (name == "retention") {
          s = read_retention(*table);
        } else {
          s = fail(node, name,
                   "unknown section (known: server, storage, leases, trial, "
                   "retention, pool)");
        }
      } else {
        s = fail(node, name, "unknown key at top level; settings belong in a [section]");
      }
      if (!s)
        return s;
    }
    return {};
  }

 private:
  status fail(const toml::node& node, const std::string& key, const std::string& message) const {
    return status::invalid(key, std::string(source_) + ":" +
                                    std::to_string(node.source().begin.line) + ": " + key + ": " +
                                    message);
  }

  // The typed getters report a wrong type as an error naming the key.
  status get(const toml::node& node, const std::string& key, std::string& out) const {
    auto v = node.value<std::string>();
    if (!node.is_string() || !v)
      return fail(node, key, "must be a string");
    out = *v;
    return {};
  }
  status get(const toml::node& node, const std::string& key, bool& out) const {
    if (!node.is_boolean())
      return fail(node, key, "must be true or false");
    out = *node.value<bool>();
    return {};
  }
  status get_int(const toml::node& node, const std::string& key, std::int64_t low,
                 std::int64_t high, std::int64_t& out) const {
    if (!node.is_integer())
      return fail(node, key, "must be an integer");
    auto v = *node.value<std::int64_t>();
    if (v < low || v > high) {
      return fail(node, key, "must be from " + std::to_string(low) + " to " + std::to_string(high));
    }
    out = v;
    return {};
  }
  status get_duration(const toml::node& node, const std::string& key, std::int64_t low,
                      std::int64_t high, std::int64_t& out) const {
    std::string text;
    if (!node.is_string()) {
      return fail(node, key,
                  "must be a duration string such as \"30s\", \"15m\", \"24h\", \"90d\"");
    }
    if (auto s = get(node, key, text); !s)
      return s;
    auto seconds = protocol::parse_duration(text);
    if (!seconds) {
      return fail(node, key,
                  "\"" + text +
                      "\" is not a duration such as \"30s\", \"15m\", "
                      "\"24h\", \"90d\"");
    }
    if (*seconds < low || *seconds > high) {
      return fail(node, key,
                  "must be from " + protocol::format_duration(low) + " to " +
                      protocol::format_duration(high));
    }
    out = *seconds;
    return {};
  }
  status get_path(const toml::node& node, const std::string& key,
                  std::optional<std::filesystem::path>& out) const {
    std::string text;
    if (auto s = get(node, key, text); !s)
      return s;
    if (text.empty())
      return fail(node, key, "must not be empty");
    out = text;
    return {};
  }
  status get_time(const toml::node& node, const std::string& key,
                  std::optional<protocol::unix_seconds>& out) const {
    std::string text;
    if (!node.is_string()) {
      return fail(node, key, "must be an RFC 3339 time string such as \"2027-06-30T00:00:00Z\"");
    }
    if (auto s = get(node, key, text); !s)
      return s;
    auto t = protocol::parse_rfc3339(text);
    if (!t) {
      return fail(node, key,
                  "\"" + text + "\" is not an RFC 3339 time such as \"2027-06-30T00:00:00Z\"");
    }
    out = *t;
    return {};
  }

  status read_server(const toml::table& table) {
    for (auto&& [k, node] : table) {
      const std::string name(k.str());
      const std::string key = "server." + name;
      status s;
      std::int64_t n = 0;
      if (name == "listen") {
        std::string text;
        s = get(node, key, text);
        if (s) {
          auto address = parse_listen_address(text);
          if (!address)
            return fail(node, key, "\"" + text + "\" is not HOST:PORT");
          config_.listen = *address;
        }
      } else if (name == "data_dir") {
        std::optional<std::filesystem::path> dir;
        s = get_path(node, key, dir);
        if (s)
          config_.data_dir = *dir;
      } else if (name == "tls_cert") {
        s = get_path(node, key, config_.tls_cert);
      } else if (name == "tls_key") {
        s = get_path(node, key, config_.tls_key);
      } else if (name == "tls_ciphers") {
        s = get(node, key, config_.tls_ciphers);
        if (s && config_.tls_ciphers.empty())
          return fail(node, key,
                      "must be an OpenSSL cipher list, e.g. the default \"" +
                          std::string(default_tls_ciphers) + "\"");
      } else if (name == "admin_token_file") {
        s = get_path(node, key, config_.admin_token_file);
      } else if (name == "client_token_file") {
        s = get_path(node, key, config_.client_token_file);
      } else if (name == "signing_key_file") {
        s = get_path(node, key, config_.signing_key_file);
      } else if (name == "max_body_bytes") {
        s = get_int(node, key, 64, 64 * 1024 * 1024, n);
        config_.max_body_bytes = static_cast<std::size_t>(n);
      } else if (name == "max_connections") {
        s = get_int(node, key, 1, 1'000'000, n);
        config_.max_connections = static_cast<std::size_t>(n);
      } else if (name == "rate_limit") {
        if (!node.is_number()) {
          s = fail(node, key, "must be a number of requests per second (0 = off)");
        } else {
          double v = *node.value<double>();
          if (v < 0)
            return fail(node, key, "must not be negative (0 = off)");
          config_.rate_limit = v;
        }
      } else if (name == "status_page_public") {
        s = get(node, key, config_.status_page_public);
      } else if (name == "metrics_public") {
        s = get(node, key, config_.metrics_public);
      } else if (name == "threads") {
        s = get_int(node, key, 0, 256, n);
        config_.threads = static_cast<unsigned>(n);
      } else if (name == "advertise_url") {
        std::string url;
        s = get(node, key, url);
        if (s && !(url.starts_with("http://") || url.starts_with("https://"))) {
          return fail(node, key,
                      "must be an http:// or https:// URL by which clients reach this node");
        }
        config_.advertise_url = url;
      } else if (name == "request_timeout") {
        s = get_duration(node, key, 1, 3600, n);
        config_.request_timeout = std::chrono::seconds(n);
      } else if (name == "log_level") {
        std::string level;
        s = get(node, key, level);
        if (s) {
          static constexpr std::string_view levels[] = {"trace", "debug",    "info", "warn",
                                                        "error", "critical", "off"};
          bool known = false;
          for (auto l : levels)
            known = known || l == level;
          if (!known) {
            return fail(node, key, "must be one of trace, debug, info, warn, error, critical, off");
          }
          config_.log_level = level;
        }
      } else {
        s = fail(node, key, "unknown key");
      }
      if (!s)
        return s;
    }
    return {};
  }

  status read_storage(const toml::table& table) {
    for (auto&& [k, node] : table) {
      const std::string name(k.str());
      const std::string key = "storage." + name;
      status s;
      if (name == "backend") {
        std::string backend;
        s = get(node, key, backend);
        if (s && backend != "sqlite" && backend != "postgres") {
          return fail(node, key, "must be \"sqlite\" or \"postgres\"");
        }
        config_.storage_backend = backend;
      } else if (name == "postgres_dsn") {
        std::string dsn;
        s = get(node, key, dsn);
        config_.postgres_dsn = dsn;
      } else if (name == "connect_timeout") {
        std::int64_t n = 0;
        s = get_duration(node, key, 1, 600, n);
        config_.connect_timeout = std::chrono::seconds(n);
      } else if (name == "takeover_interval") {
        std::int64_t n = 0;
        s = get_duration(node, key, 1, 60, n);
        config_.takeover_interval = std::chrono::seconds(n);
      } else if (name == "session_timeout") {
        std::int64_t n = 0;
        s = get_duration(node, key, 1, 600, n);
        config_.session_timeout = std::chrono::seconds(n);
      } else {
        s = fail(node, key, "unknown key");
      }
      if (!s)
        return s;
    }
    return {};
  }

  status read_leases(const toml::table& table) {
    auto& leases = config_.store.leases;
    for (auto&& [k, node] : table) {
      const std::string name(k.str());
      const std::string key = "leases." + name;
      status s;
      if (name == "duration") {
        s = get_duration(node, key, 1, max_lease_seconds, leases.duration_seconds);
      } else if (name == "renew_fraction") {
        if (!node.is_number()) {
          s = fail(node, key, "must be a number between 0 and 1");
        } else {
          double v = *node.value<double>();
          if (!(v > 0 && v < 1))
            return fail(node, key, "must be between 0 and 1 (exclusive)");
          leases.renew_fraction = v;
        }
      } else if (name == "allow_upgrade") {
        s = get(node, key, leases.allow_upgrade);
      } else {
        s = fail(node, key, "unknown key");
      }
      if (!s)
        return s;
    }
    return {};
  }

  status read_trial(const toml::table& table) {
    auto& trial = config_.store.trial;
    for (auto&& [k, node] : table) {
      const std::string name(k.str());
      const std::string key = "trial." + name;
      status s;
      if (name == "enabled") {
        s = get(node, key, trial.enabled);
      } else if (name == "days") {
        s = get_int(node, key, 1, 3650, trial.days);
      } else if (name == "seats") {
        s = get_int(node, key, 0, protocol::max_pool_seats, trial.seats);
      } else {
        s = fail(node, key, "unknown key");
      }
      if (!s)
        return s;
    }
    return {};
  }

  status read_retention(const toml::table& table) {
    auto& retention = config_.store.retention;
    for (auto&& [k, node] : table) {
      const std::string name(k.str());
      const std::string key = "retention." + name;
      status s;
      if (name == "events_days") {
        s = get_int(node, key, 1, 36500, retention.events_days);
      } else if (name == "usage_days") {
        s = get_int(node, key, 1, 36500, retention.usage_days);
      } else {
        s = fail(node, key, "unknown key");
      }
      if (!s)
        return s;
    }
    return {};
  }

  status read_pools(const std::string& name, const toml::node& node) {
    auto* array = node.as_array();
    if (!array || !array->is_array_of_tables()) {
      return fail(node, name, "must be written as [[pool]] tables");
    }
    for (auto& element : *array) {
      auto s = read_pool(*element.as_table());
      if (!s)
        return s;
    }
    return {};
  }

  status read_pool(const toml::table& table) {
    protocol::pool_create_request pool;
    bool has_id = false, has_edition = false, has_seats = false, has_kind = false;
    // Where the end was given, so that a contradiction can name its line.
    // Where expires_at and days were written, so a broken rule names its line; `end_node` is the
    // later of the two.
    const toml::node* expires_node = nullptr;
    const toml::node* days_node = nullptr;
    const toml::node* end_node = nullptr;
    std::string end_key;
    for (auto&& [k, node] : table) {
      const std::string name(k.str());
      const std::string key = "pool." + name;
      status s;
      if (name == "id") {
        s = get(node, key, pool.id);
        if (s && !protocol::is_valid_pool_id(pool.id)) {
          return fail(node, key,
                      "\"" + pool.id + "\" is not a pool id ([a-z0-9][a-z0-9._-]{0,62})");
        }
        has_id = true;
      } else if (name == "edition") {
        std::string text;
        s = get(node, key, text);
        if (s) {
          auto e = protocol::parse_edition(text);
          if (!e)
            return fail(node, key, "\"" + text + "\" is not an edition (vApp, vPC, vWS, vCS)");
          pool.edition = *e;
          has_edition = true;
        }
      } else if (name == "seats") {
        s = get_int(node, key, 0, protocol::max_pool_seats, pool.seats);
        has_seats = true;
      } else if (name == "kind") {
        std::string text;
        s = get(node, key, text);
        if (s) {
          auto kind = protocol::parse_pool_kind(text);
          if (!kind) {
            return fail(node, key, "\"" + text + "\" is not trial, subscription or perpetual");
          }
          pool.kind = *kind;
          has_kind = true;
        }
      } else if (name == "starts_at") {
        s = get_time(node, key, pool.starts_at);
      } else if (name == "expires_at" || name == "days") {
        end_node = &node;
        end_key = key;
        if (name == "expires_at") {
          expires_node = &node;
          s = get_time(node, key, pool.expires_at);
        } else {
          days_node = &node;
          std::int64_t days = 0;
          s = get_int(node, key, 1, 36500, days);
          pool.days = days;
        }
      } else {
        s = fail(node, key, "unknown key");
      }
      if (!s)
        return s;
    }
    const std::string where =
        std::string(source_) + ":" + std::to_string(table.source().begin.line) + ": [[pool]]";
    if (!has_id)
      return status::invalid("pool.id", where + ": id is required");
    const std::string which = where + " \"" + pool.id + "\": ";
    if (!has_edition)
      return status::invalid("pool.edition", which + "edition is required");
    if (!has_seats)
      return status::invalid("pool.seats", which + "seats is required");
    if (!has_kind)
      return status::invalid("pool.kind", which + "kind is required");
    // The same rules as POST /v1/pools; only the way of naming the place differs.
    if (auto broken = protocol::check_pool_dates(pool)) {
      const toml::node* at = broken->field == "expires_at" ? expires_node
                             : broken->field == "days"     ? days_node
                                                           : end_node;
      if (at == nullptr) {
        return status::invalid("pool.expires_at", which + broken->reason);
      }
      return fail(*at, broken->field.empty() ? end_key : "pool." + broken->field, broken->reason);
    }
    for (const auto& other : config_.store.declared_pools) {
      if (other.id == pool.id) {
        return status::invalid("pool.id", which + "declared twice");
      }
    }
    config_.store.declared_pools.push_back(std::move(pool));
    return {};
  }

  std::string_view source_;
  server_config& config_;
};

}  // namespace

std::string listen_address::to_string() const {
  if (host.find(':') != std::string::npos)
    return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::optional<listen_address> parse_listen_address(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return std::nullopt;
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']')
      return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 address must be bracketed
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return std::nullopt;
  }
  listen_address address;
  address.host = std::string(host);
  address.port = static_cast<std::uint16_t>(port);
  return address;
}

protocol::result<server_config> parse_config(std::string_view text, std::string_view source) {
  server_config config;
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    return status::invalid({}, std::string(source) + ":" +
                                   std::to_string(error.source().begin.line) + ":" +
                                   std::to_string(error.source().begin.column) +
                                   ": not valid TOML: " + std::string(error.description()));
  }
  config_reader reader(source, config);
  if (auto s = reader.read(root); !s)
    return s;
  if (auto s = validate_config(config); !s) {
    return status::invalid(s.field(), std::string(source) + ": " + s.message());
  }
  return config;
}

protocol::result<server_config> load_config_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return status::invalid({}, path.string() +
                                   ": cannot read the configuration file (missing or "
                                   "not readable)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path.string());
}

protocol::status validate_config(const server_config& config) {
  if (config.tls_cert.has_value() != config.tls_key.has_value()) {
    return status::invalid(config.tls_cert ? "server.tls_key" : "server.tls_cert",
                           "server.tls_cert and server.tls_key must be set together");
  }
  if (config.storage_backend == "postgres" && !config.postgres_dsn) {
    return status::invalid("storage.postgres_dsn",
                           "storage.backend = \"postgres\" needs storage.postgres_dsn, e.g. "
                           "\"postgresql://vgls@db1/vgls\"");
  }
  return {};
}

std::string server_config::effective_advertise_url() const {
  if (advertise_url) {
    return *advertise_url;
  }
  // A wildcard address names no host a client could use: name this host instead.
  std::string host = listen.host;
  if (host == "0.0.0.0" || host == "::" || host == "[::]" || host.empty()) {
    char name[256] = {};
    host = ::gethostname(name, sizeof(name) - 1) == 0 && name[0] != '\0' ? name : "localhost";
  }
  return std::string(tls() ? "https://" : "http://") + host + ":" + std::to_string(listen.port);
}

storage::backend_options server_config::backend() const {
  storage::backend_options options;
  options.kind = storage_backend == "postgres" ? storage::backend_kind::postgres
                                               : storage::backend_kind::sqlite;
  options.sqlite_path = database_path();
  if (postgres_dsn) {
    options.postgres.dsn = *postgres_dsn;
  }
  options.postgres.connect_timeout = connect_timeout;
  options.postgres.takeover_interval = takeover_interval;
  options.postgres.session_timeout = session_timeout;
  options.postgres.advertise_url = effective_advertise_url();
  return options;
}

}  // namespace vgls::server
