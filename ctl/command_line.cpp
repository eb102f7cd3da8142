#include "ctl/command_line.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "client/http_client.h"
#include "config_support/nearest_name.h"
#include "ctl/token_discovery.h"
#include "protocol/event.h"
#include "protocol/pool.h"
#include "protocol/pool_rules.h"
#include "protocol/time_input.h"
#include "protocol/validation.h"

namespace vgls::ctl {
namespace {

// A bad value found after CLI11 accepted the shape of the command line.
struct bad_argument {
  std::string message;
};

protocol::edition edition_argument(const std::string& option, const std::string& text) {
  if (auto e = protocol::parse_edition(text))
    return *e;
  throw bad_argument{option + ": unknown edition '" + text + "' (vApp, vPC, vWS or vCS)"};
}

protocol::unix_seconds time_argument(const std::string& option, const std::string& text) {
  if (auto t = parse_time_argument(text))
    return *t;
  throw bad_argument{option + ": '" + text +
                     "' is not a time (RFC 3339 like 2027-06-30T00:00:00Z, or a date 2027-06-30)"};
}

// A count from `low` to `high`, said in words rather than CLI11's range text.
std::int64_t whole_number_argument(const std::string& option, const std::string& text,
                                   std::int64_t low, std::int64_t high) {
  const std::string rule = option + " must be a whole number from " + std::to_string(low) + " to " +
                           std::to_string(high) + ", not '" + text + "'";
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    throw bad_argument{rule};
  const std::int64_t value = std::stoll(text);
  if (value < low || value > high)
    throw bad_argument{rule};
  return value;
}

// An expiry must lie ahead of `now`.
void check_not_past(const std::string& option, protocol::unix_seconds t,
                    protocol::unix_seconds now) {
  if (t <= now)
    throw bad_argument{option + ": " + protocol::format_rfc3339(t) + " is in the past (now is " +
                       protocol::format_rfc3339(now) + ")"};
}

std::int64_t duration_argument(const std::string& option, const std::string& text) {
  if (auto d = protocol::parse_duration(text))
    return *d;
  throw bad_argument{option + ": '" + text + "' is not a duration (like 30s, 15m, 24h, 90d)"};
}

std::optional<std::string> env_value(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0')
    return std::nullopt;
  return std::string(value);
}

// The first command word that names no command at its level, as an error that lists the valid
// ones and the nearest; nullopt when every command word is known (CLI11 checks the rest).
std::optional<std::string> unknown_command(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* level = &app;
  std::string path = "vglsctl";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word.rfind('-', 0) == 0) {
      const CLI::Option* option =
          word.find('=') == std::string::npos ? app.get_option_no_throw(word) : nullptr;
      if (option != nullptr && option->get_items_expected_min() > 0)
        ++i;  // the option's value
      continue;
    }
    auto commands = level->get_subcommands([](CLI::App*) { return true; });
    if (commands.empty())
      return std::nullopt;
    CLI::App* match = nullptr;
    std::string names;
    std::string nearest;
    std::size_t nearest_distance = 3;  // suggest only close spellings
    for (auto* command : commands) {
      const std::string& name = command->get_name();
      if (name == word)
        match = command;
      names += (names.empty() ? "" : ", ") + name;
      const std::size_t distance = config::edit_distance(word, name);
      if (distance < nearest_distance || name.rfind(word, 0) == 0) {
        nearest_distance = std::min(distance, nearest_distance);
        nearest = name;
      }
    }
    if (match == nullptr) {
      std::string text = "error: " + path + " has no command '" + word + "'";
      if (!nearest.empty())
        text += "; did you mean '" + nearest + "'?";
      return text + "\nCommands: " + names + "\nRun with --help for more information.\n";
    }
    level = match;
    path += " " + word;
  }
  return std::nullopt;
}

}  // namespace

environment environment::from_process() {
  return environment{env_value("VGLS_SERVER"), env_value("VGLS_TOKEN"),
                     env_value("VGLS_TOKEN_FILE"), ctl::usual_token_files(),
                     protocol::system_now()};
}

std::optional<protocol::unix_seconds> parse_time_argument(const std::string& text) {
  return protocol::parse_time_input(text);
}

parse_outcome parse_command_line(const std::vector<std::string>& args, const environment& env) {
  CLI::App app{"Administer a vgls license server: pools, leases, events and usage.", "vglsctl"};
  app.set_version_flag("--version", VGLS_VERSION);
  app.require_subcommand(1);
  // Global options may also follow the command: `vglsctl pool list --json`.
  app.fallthrough();

  std::string server;
  std::string token;
  std::string token_file;
  bool json = false;
  app.add_option("--server", server, "server URL (env VGLS_SERVER; default http://127.0.0.1:7070)");
  auto* token_option = app.add_option("--token", token, "admin token (env VGLS_TOKEN)");
  auto* token_file_option =
      app.add_option("--token-file", token_file, "file holding the admin token");
  token_option->excludes(token_file_option);
  std::string ca_file;
  app.add_option("--ca-file", ca_file, "PEM CA certificate(s) for an https server")
      ->check(CLI::ExistingFile);
  app.add_flag("--json", json, "print JSON for scripts");

  auto* status = app.add_subcommand("status", "server facts and pools");

  auto* pool = app.add_subcommand("pool", "list, add, change or remove pools");
  pool->require_subcommand(1);
  auto* pool_list = pool->add_subcommand("list", "list pools");

  pool_add_command add;
  std::string add_edition;
  std::string add_kind = "subscription";
  std::string add_expires;
  std::string add_starts;
  auto* pool_add = pool->add_subcommand("add", "create a pool");
  pool_add->add_option("id", add.id, "pool id")->required();
  pool_add->add_option("--edition", add_edition, "vApp, vPC, vWS or vCS")->required();
  std::string add_seats;
  pool_add->add_option("--seats", add_seats, "number of seats")->required();
  pool_add->add_option("--kind", add_kind, "trial, subscription (default) or perpetual");
  std::string add_days_text;
  auto* add_days = pool_add->add_option("--days", add_days_text, "expires this many days from now");
  auto* add_expires_option =
      pool_add->add_option("--expires-at", add_expires, "expiry time (RFC 3339 or YYYY-MM-DD)");
  add_days->excludes(add_expires_option);
  pool_add->add_option("--starts-at", add_starts, "start time (default: now)");

  pool_set_command set;
  std::string set_expires;
  std::string set_starts;
  auto* pool_set = pool->add_subcommand("set", "change a pool's seats or dates");
  pool_set->add_option("id", set.id, "pool id")->required();
  std::string set_seats;
  pool_set->add_option("--seats", set_seats, "number of seats");
  pool_set->add_option("--expires-at", set_expires, "expiry time (RFC 3339 or YYYY-MM-DD)");
  pool_set->add_option("--starts-at", set_starts, "start time (RFC 3339 or YYYY-MM-DD)");

  pool_rm_command rm;
  auto* pool_rm = pool->add_subcommand("rm", "delete a pool");
  pool_rm->add_option("id", rm.id, "pool id")->required();
  pool_rm->add_flag("--force", rm.force, "also revoke the pool's active leases");

  auto* lease = app.add_subcommand("lease", "list or revoke leases");
  lease->require_subcommand(1);
  lease_list_command list;
  std::string list_edition;
  auto* lease_list = lease->add_subcommand("list", "list active leases");
  lease_list->add_option("--pool", list.pool, "only this pool");
  lease_list->add_option("--edition", list_edition, "only this granted edition");
  lease_list->add_option("--client", list.client, "only this client id");
  lease_list->add_option("--hostname", list.hostname, "only hostnames starting with this");
  std::string list_limit;
  lease_list->add_option("--limit", list_limit,
                         "at most this many a page (1-1000; default 100, 1000 with --all)");
  lease_list->add_option("--after", list.after,
                         "the page after this cursor (from a previous page)");
  lease_list->add_flag("--all", list.all, "every page, following the cursor to the end");
  lease_revoke_command revoke;
  auto* lease_revoke = lease->add_subcommand("revoke", "end a lease now");
  lease_revoke->add_option("id", revoke.id, "lease id")->required();

  events_command events;
  std::string events_since;
  auto* events_cmd = app.add_subcommand("events", "show the audit log (default: the latest 20)");
  events_cmd->add_option("--since", events_since, "events of this last span, e.g. 2h, 7d");
  events_cmd->add_option("--type", events.type, "only this event type, e.g. lease.denied");
  events_cmd->add_flag("--follow", events.follow, "keep printing new events as they happen");

  usage_command usage;
  std::string usage_since = "30d";
  std::string usage_edition;
  auto* usage_cmd = app.add_subcommand("usage", "peak use, grants and denials per bucket");
  usage_cmd->add_option("--since", usage_since, "span to report (default 30d)");
  usage_cmd->add_option("--bucket", usage.bucket, "1m, 5m, 15m, 1h, 6h or 1d (default 1d)")
      ->check(CLI::IsMember({"1m", "5m", "15m", "1h", "6h", "1d"}));
  usage_cmd->add_option("--edition", usage_edition, "only this edition");
  usage_cmd->add_flag("--csv", usage.csv, "print CSV");
  usage_cmd->add_flag("--summary", usage.summary,
                      "per edition over the whole span: peak, seats, grants, denials");

  auto* key = app.add_subcommand("key", "list or rotate the keys that sign lease tokens");
  key->require_subcommand(1);
  auto* key_list = key->add_subcommand("list", "list the published keys (the signing key first)");
  auto* key_rotate = key->add_subcommand("rotate", "sign with a new key from now on");

  auto* token_cmd = app.add_subcommand("token", "add, list or remove named access tokens");
  token_cmd->require_subcommand(1);
  token_add_command token_add;
  std::string token_role;
  auto* token_add_cmd = token_cmd->add_subcommand("add", "make a token; prints its secret once");
  token_add_cmd->add_option("name", token_add.name, "token name (like a pool id)")->required();
  token_add_cmd->add_option("--role", token_role, "viewer, operator or admin")->required();
  auto* token_list = token_cmd->add_subcommand("list", "list tokens, roles and last use");
  token_rm_command token_rm;
  auto* token_rm_cmd = token_cmd->add_subcommand("rm", "remove a token");
  token_rm_cmd->add_option("name", token_rm.name, "token name")->required();

  // CLI11 wants the arguments last-first when given as a vector.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  parse_outcome outcome;
  if (auto unknown = unknown_command(app, args)) {
    outcome.exit_code = 2;
    outcome.message_is_error = true;
    outcome.message = *unknown;
    return outcome;
  }
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = app.exit(e, out, err);
    outcome.exit_code = code == 0 ? 0 : 2;
    outcome.message_is_error = code != 0;
    outcome.message = code == 0 ? out.str() : err.str();
    return outcome;
  }

  try {
    invocation result;
    result.json = json;
    if (!server.empty())
      result.server = server;
    else if (env.server)
      result.server = *env.server;
    std::string url_error;
    if (!client::parse_server_url(result.server, &url_error))
      throw bad_argument{"--server: " + url_error};

    if (!ca_file.empty())
      result.ca_file = ca_file;
    token_sources sources{std::nullopt, std::nullopt, env.token, env.token_file,
                          env.usual_token_files};
    if (!token.empty())
      sources.flag_token = token;
    if (!token_file.empty())
      sources.flag_file = token_file;
    const token_lookup found = find_token(sources);
    if (found.error)
      throw bad_argument{*found.error};
    result.token = found.token;
    result.unauthorized_hint = unauthorized_hint(found, env.usual_token_files);

    if (*status) {
      result.command = status_command{};
    } else if (*pool_list) {
      result.command = pool_list_command{};
    } else if (*pool_add) {
      add.edition = edition_argument("--edition", add_edition);
      auto kind = protocol::parse_pool_kind(add_kind);
      if (!kind)
        throw bad_argument{"--kind: '" + add_kind + "' is not trial, subscription or perpetual"};
      add.kind = *kind;
      add.seats = whole_number_argument("--seats", add_seats, 0, protocol::max_pool_seats);
      if (!add_days_text.empty())
        add.days = whole_number_argument("--days", add_days_text, 1, protocol::max_pool_days);
      if (!add_expires.empty()) {
        add.expires_at = time_argument("--expires-at", add_expires);
        check_not_past("--expires-at", *add.expires_at, env.now);
      }
      if (!add_starts.empty())
        add.starts_at = time_argument("--starts-at", add_starts);
      result.command = add;
    } else if (*pool_set) {
      if (!set_seats.empty())
        set.seats = whole_number_argument("--seats", set_seats, 0, protocol::max_pool_seats);
      if (!set_expires.empty())
        set.expires_at = time_argument("--expires-at", set_expires);
      if (!set_starts.empty())
        set.starts_at = time_argument("--starts-at", set_starts);
      if (!set.seats && !set.expires_at && !set.starts_at)
        throw bad_argument{
            "pool set: nothing to change (give --seats, --expires-at or --starts-at)"};
      result.command = set;
    } else if (*pool_rm) {
      result.command = rm;
    } else if (*lease_list) {
      if (!list_edition.empty())
        list.edition = edition_argument("--edition", list_edition);
      if (!list_limit.empty())
        list.limit = static_cast<int>(
            whole_number_argument("--limit", list_limit, 1, protocol::max_page_limit));
      else if (list.all)
        list.limit = protocol::max_page_limit;
      if (list.after && list.after->empty())
        throw bad_argument{"--after: give the cursor a previous page printed (its \"next\")"};
      result.command = list;
    } else if (*lease_revoke) {
      result.command = revoke;
    } else if (*events_cmd) {
      if (!events_since.empty())
        events.since_seconds = duration_argument("--since", events_since);
      if (events.type && !protocol::is_event_type(*events.type))
        throw bad_argument{"--type: '" + *events.type + "' is not an event type"};
      result.command = events;
    } else if (*usage_cmd) {
      usage.since_seconds = duration_argument("--since", usage_since);
      if (!usage_edition.empty())
        usage.edition = edition_argument("--edition", usage_edition);
      result.command = usage;
    }
    if (*key_list) {
      result.command = key_list_command{};
    } else if (*key_rotate) {
      result.command = key_rotate_command{};
    } else if (*token_add_cmd) {
      auto role = protocol::parse_role(token_role);
      if (!role)
        throw bad_argument{"--role: '" + token_role + "' is not viewer, operator or admin"};
      token_add.role = *role;
      result.command = token_add;
    } else if (*token_list) {
      result.command = token_list_command{};
    } else if (*token_rm_cmd) {
      result.command = token_rm;
    }
    outcome.invocation = std::move(result);
  } catch (const bad_argument& bad) {
    outcome.exit_code = 2;
    outcome.message_is_error = true;
    outcome.message = "error: " + bad.message + "\nRun with --help for more information.\n";
  }
  return outcome;
}

}  // namespace vgls::ctl
