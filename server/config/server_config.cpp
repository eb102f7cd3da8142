#include "server/config/server_config.h"

#include <unistd.h>

#include <charconv>
#include <map>
#include <string>
#include <utility>

#include "config_support/config_file.h"
#include "protocol/edition.h"
#include "protocol/pool.h"
#include "protocol/pool_rules.h"
#include "protocol/time.h"

namespace vgls::server {
namespace {

using config::assign;
using config::config_table;
using config::config_value;
using config::key_rule;
using protocol::status;

constexpr std::int64_t max_lease_seconds = 30 * protocol::seconds_per_day;

// Fills a server_config from one parsed document, stopping at the first error. Every error names
// the source, the line and the full key ("leases.duration"), because an operator's typo must
// point at the line to fix.
class config_reader {
 public:
  config_reader(server_config& config, protocol::unix_seconds now) : config_(config), now_(now) {}

  status read(const config_table& root) {
    return config::read_keys(root,
                             {
                                 {"server", section(&config_reader::read_server)},
                                 {"storage", section(&config_reader::read_storage)},
                                 {"leases", section(&config_reader::read_leases)},
                                 {"trial", section(&config_reader::read_trial)},
                                 {"retention", section(&config_reader::read_retention)},
                                 {"pool", [this](const config_value& v) { return read_pools(v); }},
                             });
  }

 private:
  using section_reader = status (config_reader::*)(const config_table&);

  std::function<status(const config_value&)> section(section_reader reader) {
    return [this, reader](const config_value& v) {
      auto table = v.table();
      if (!table) {
        return table.error();
      }
      return (this->*reader)(*table);
    };
  }

  status read_server(const config_table& table) {
    auto& c = config_;
    return config::read_keys(
        table,
        {
            {"listen",
             [&](const config_value& v) {
               auto text = v.string();
               if (!text) {
                 return text.error();
               }
               auto address = parse_listen_address(*text);
               if (!address) {
                 return v.error("\"" + *text + "\" is not HOST:PORT");
               }
               c.listen = *address;
               return status::ok();
             }},
            {"data_dir", [&](const config_value& v) { return assign(v.path(), c.data_dir); }},
            {"tls_cert", [&](const config_value& v) { return assign(v.path(), c.tls_cert); }},
            {"tls_key", [&](const config_value& v) { return assign(v.path(), c.tls_key); }},
            {"tls_ciphers",
             [&](const config_value& v) {
               auto text = v.string();
               if (text && text->empty()) {
                 return v.error("must be an OpenSSL cipher list, e.g. the default \"" +
                                std::string(default_tls_ciphers) + "\"");
               }
               return assign(std::move(text), c.tls_ciphers);
             }},
            {"admin_token_file",
             [&](const config_value& v) { return assign(v.path(), c.admin_token_file); }},
            {"client_token_file",
             [&](const config_value& v) { return assign(v.path(), c.client_token_file); }},
            {"signing_key_file",
             [&](const config_value& v) { return assign(v.path(), c.signing_key_file); }},
            {"signing_reserve",
             [&](const config_value& v) {
               return assign(v.integer(0, 10'000'000), c.signing_reserve);
             }},
            {"max_body_bytes",
             [&](const config_value& v) {
               return assign(v.size(64, 64 * 1024 * 1024), c.max_body_bytes);
             }},
            {"max_connections",
             [&](const config_value& v) {
               return assign(v.integer(1, 1'000'000), c.max_connections);
             }},
            {"rate_limit",
             [&](const config_value& v) {
               auto rate = v.number();
               if (!rate || *rate < 0) {
                 return v.error("must be a number of requests per second, not negative (0 = off)");
               }
               return assign(std::move(rate), c.rate_limit);
             }},
            {"status_page_public",
             [&](const config_value& v) { return assign(v.boolean(), c.status_page_public); }},
            {"metrics_public",
             [&](const config_value& v) { return assign(v.boolean(), c.metrics_public); }},
            {"threads",
             [&](const config_value& v) { return assign(v.integer(0, 256), c.threads); }},
            {"request_timeout",
             [&](const config_value& v) { return assign(v.duration(1, 3600), c.request_timeout); }},
            {"log_level",
             [&](const config_value& v) { return assign(v.log_level(), c.log_level); }},
            {"advertise_url",
             [&](const config_value& v) {
               auto url = v.string();
               if (url && !(url->starts_with("http://") || url->starts_with("https://"))) {
                 return v.error(
                     "must be an http:// or https:// URL by which clients reach this node");
               }
               return assign(std::move(url), c.advertise_url);
             }},
        });
  }

  status read_storage(const config_table& table) {
    auto& c = config_;
    return config::read_keys(
        table,
        {
            {"backend",
             [&](const config_value& v) {
               return assign(v.one_of({"sqlite", "postgres"}), c.storage_backend);
             }},
            {"postgres_dsn",
             [&](const config_value& v) { return assign(v.string(), c.postgres_dsn); }},
            {"connect_timeout",
             [&](const config_value& v) { return assign(v.duration(1, 600), c.connect_timeout); }},
            {"takeover_interval",
             [&](const config_value& v) { return assign(v.duration(1, 60), c.takeover_interval); }},
            {"session_timeout",
             [&](const config_value& v) { return assign(v.duration(1, 600), c.session_timeout); }},
        });
  }

  status read_leases(const config_table& table) {
    auto& leases = config_.store.leases;
    return config::read_keys(
        table,
        {
            {"duration",
             [&](const config_value& v) {
               return assign(v.duration(1, max_lease_seconds), leases.duration_seconds);
             }},
            {"renew_fraction",
             [&](const config_value& v) {
               auto fraction = v.number();
               if (!fraction || !(*fraction > 0 && *fraction < 1)) {
                 return v.error("must be a number between 0 and 1 (exclusive)");
               }
               return assign(std::move(fraction), leases.renew_fraction);
             }},
            {"allow_upgrade",
             [&](const config_value& v) { return assign(v.boolean(), leases.allow_upgrade); }},
        });
  }

  status read_trial(const config_table& table) {
    auto& trial = config_.store.trial;
    return config::read_keys(
        table,
        {
            {"enabled", [&](const config_value& v) { return assign(v.boolean(), trial.enabled); }},
            {"days", [&](const config_value& v) { return assign(v.integer(1, 3650), trial.days); }},
            {"seats",
             [&](const config_value& v) {
               return assign(v.integer(0, protocol::max_pool_seats), trial.seats);
             }},
        });
  }

  status read_retention(const config_table& table) {
    auto& retention = config_.store.retention;
    return config::read_keys(table, {
                                        {"events_days",
                                         [&](const config_value& v) {
                                           return assign(v.integer(1, 36500),
                                                         retention.events_days);
                                         }},
                                        {"usage_days",
                                         [&](const config_value& v) {
                                           return assign(v.integer(1, 36500), retention.usage_days);
                                         }},
                                    });
  }

  status read_pools(const config_value& value) {
    auto tables = value.tables();
    if (!tables) {
      return tables.error();
    }
    for (const auto& table : *tables) {
      if (auto s = read_pool(table); !s) {
        return s;
      }
    }
    return status::ok();
  }

  // One [[pool]]: its keys by type here, then every rule a start applies to it, from
  // protocol/pool_rules.h (the rules POST /v1/pools and the store's engine apply), each error
  // naming the line of the key at fault.
  status read_pool(const config_table& table) {
    protocol::pool_create_request pool;
    std::map<std::string, config_value, std::less<>> written;
    auto remember = [&written](const config_value& v) {
      written.insert_or_assign(v.key().substr(v.key().rfind('.') + 1), v);
    };
    auto s = config::read_keys(
        table, {
                   {"id",
                    [&](const config_value& v) {
                      remember(v);
                      return assign(v.string(), pool.id);
                    }},
                   {"edition",
                    [&](const config_value& v) {
                      remember(v);
                      auto text = v.string();
                      if (!text) {
                        return text.error();
                      }
                      auto edition = protocol::parse_edition(*text);
                      if (!edition) {
                        return v.error("\"" + *text + "\" is not an edition (vApp, vPC, vWS, vCS)");
                      }
                      pool.edition = *edition;
                      return status::ok();
                    }},
                   {"seats",
                    [&](const config_value& v) {
                      remember(v);
                      return assign(v.integer(), pool.seats);
                    }},
                   {"kind",
                    [&](const config_value& v) {
                      remember(v);
                      auto text = v.string();
                      if (!text) {
                        return text.error();
                      }
                      auto kind = protocol::parse_pool_kind(*text);
                      if (!kind) {
                        return v.error("\"" + *text + "\" is not trial, subscription or perpetual");
                      }
                      pool.kind = *kind;
                      return status::ok();
                    }},
                   {"starts_at",
                    [&](const config_value& v) {
                      remember(v);
                      return assign(v.time(), pool.starts_at);
                    }},
                   {"expires_at",
                    [&](const config_value& v) {
                      remember(v);
                      return assign(v.time(), pool.expires_at);
                    }},
                   {"days",
                    [&](const config_value& v) {
                      remember(v);
                      return assign(v.integer(), pool.days);
                    }},
               });
    if (!s) {
      return s;
    }
    for (const char* required : {"id", "edition", "seats", "kind"}) {
      if (!written.contains(required)) {
        return table.missing(required);
      }
    }
    // Where a broken rule points: its field's line, or, when the fault lies between expires_at
    // and days, the later of the two (the table's line when neither is written).
    auto broken_rule = [&](const protocol::pool_rule_violation& broken) {
      std::optional<config_value> at;
      if (auto it = written.find(broken.field); it != written.end()) {
        at = it->second;
      } else {
        for (const char* end : {"expires_at", "days"}) {
          auto e = written.find(end);
          if (e != written.end() && (!at || e->second.line() > at->line())) {
            at = e->second;
          }
        }
      }
      if (!at) {
        return status::invalid("pool.expires_at", table.where() + ": pool.expires_at: [[pool]] \"" +
                                                      pool.id + "\": " + broken.reason);
      }
      return at->error(broken.reason);
    };
    if (auto broken = protocol::check_pool_request(pool)) {
      return broken_rule(*broken);
    }
    const auto& id_value = written.find("id")->second;
    if (auto first = declared_lines_.find(pool.id); first != declared_lines_.end()) {
      return id_value.error("\"" + pool.id + "\" is declared twice (first at line " +
                            std::to_string(first->second) + ")");
    }
    if (auto ended = protocol::declared_pool_ended(pool, now_)) {
      // Not an error: a start succeeds too, leaving the pool as stored (see pool_rules.h).
      config_.warnings.push_back(written.find("expires_at")->second.where() +
                                 ": pool.expires_at: declared pool \"" + pool.id + "\" " + *ended);
    } else if (auto broken = protocol::check_pool(protocol::resolve_pool(pool, now_))) {
      // The pool a start would create now.
      return broken_rule(*broken);
    }
    declared_lines_.emplace(pool.id, id_value.line());
    config_.store.declared_pools.push_back(std::move(pool));
    return status::ok();
  }

  server_config& config_;
  protocol::unix_seconds now_;
  std::map<std::string, std::uint32_t, std::less<>> declared_lines_;
};

protocol::result<server_config> read_config(const config::config_document& document,
                                            protocol::unix_seconds now) {
  server_config config;
  config_reader reader(config, now);
  if (auto s = reader.read(document.root()); !s) {
    return s;
  }
  if (auto s = validate_config(config); !s) {
    // The rule ties two keys together and names the one missing; point at the line of the other.
    static constexpr std::pair<std::string_view, std::string_view> written_instead[] = {
        {"server.tls_key", "server.tls_cert"},
        {"server.tls_cert", "server.tls_key"},
        {"storage.postgres_dsn", "storage.backend"}};
    for (const auto& [missing, written] : written_instead) {
      if (s.field() == missing) {
        if (auto value = document.find(written)) {
          return status::invalid(s.field(),
                                 value->where() + ": " + std::string(written) + ": " + s.message());
        }
      }
    }
    return status::invalid(s.field(), document.source() + ": " + s.message());
  }
  return config;
}

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

protocol::result<server_config> parse_config(std::string_view text, std::string_view source,
                                             protocol::unix_seconds now) {
  auto document = config::config_document::parse(text, std::string(source));
  if (!document) {
    return document.error();
  }
  return read_config(*document, now);
}

protocol::result<server_config> load_config_file(const std::filesystem::path& path,
                                                 protocol::unix_seconds now) {
  auto document = config::config_document::load(path);
  if (!document) {
    return document.error();
  }
  return read_config(*document, now);
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
