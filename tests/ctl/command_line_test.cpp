// vglsctl's command line: what parses, what is refused with exit code 2, and which of flags and
// environment wins.
#include "ctl/command_line.h"

#include <catch2/catch.hpp>

#include "ctl/token_discovery.h"
#include "tests/ctl/scratch_file.h"

using namespace vgls::ctl;

namespace {

parse_outcome parse(std::vector<std::string> args, environment env = {}) {
  return parse_command_line(args, env);
}

template <class T>
T command_of(const parse_outcome& outcome) {
  REQUIRE(outcome.invocation.has_value());
  REQUIRE(std::holds_alternative<T>(outcome.invocation->command));
  return std::get<T>(outcome.invocation->command);
}

}  // namespace

TEST_CASE("defaults: local server, no token, tables") {
  const auto outcome = parse({"status"});
  REQUIRE(outcome.invocation);
  CHECK(outcome.invocation->server == "http://127.0.0.1:7070");
  CHECK_FALSE(outcome.invocation->token);
  CHECK_FALSE(outcome.invocation->json);
  command_of<status_command>(outcome);
}

TEST_CASE("flags win over the environment, the environment over defaults") {
  environment env;
  env.server = "http://env.example:7070";
  env.token = "env-token";
  auto from_env = parse({"pool", "list"}, env);
  REQUIRE(from_env.invocation);
  CHECK(from_env.invocation->server == "http://env.example:7070");
  CHECK(from_env.invocation->token == "env-token");

  auto from_flags =
      parse({"--server", "https://flag.example", "--token", "flag-token", "pool", "list"}, env);
  REQUIRE(from_flags.invocation);
  CHECK(from_flags.invocation->server == "https://flag.example");
  CHECK(from_flags.invocation->token == "flag-token");
}

TEST_CASE("global options may follow the command") {
  const auto outcome = parse({"pool", "list", "--json", "--server", "http://10.0.0.1:7070"});
  REQUIRE(outcome.invocation);
  CHECK(outcome.invocation->json);
  CHECK(outcome.invocation->server == "http://10.0.0.1:7070");
}

TEST_CASE("a token file is read, without its trailing newline") {
  scratch_file file("s3cret-token\n");
  const auto outcome = parse({"--token-file", file.path(), "status"});
  REQUIRE(outcome.invocation);
  CHECK(outcome.invocation->token == "s3cret-token");
}

TEST_CASE("a CA file for https servers must exist") {
  scratch_file file("-----BEGIN CERTIFICATE-----\n");
  const auto outcome =
      parse({"--server", "https://vgls.example:7070", "--ca-file", file.path(), "status"});
  REQUIRE(outcome.invocation);
  CHECK(outcome.invocation->ca_file == file.path());
  CHECK(parse({"--ca-file", "/nonexistent/ca.pem", "status"}).exit_code == 2);
}

TEST_CASE("an unreadable --token-file is a bad command line") {
  const auto outcome = parse({"--token-file", "/nonexistent/vgls/token", "status"});
  CHECK_FALSE(outcome.invocation);
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.find("--token-file") != std::string::npos);
}

TEST_CASE("token and token file exclude each other") {
  scratch_file file("t\n");
  const auto outcome = parse({"--token", "a", "--token-file", file.path(), "status"});
  CHECK_FALSE(outcome.invocation);
  CHECK(outcome.exit_code == 2);
}

TEST_CASE("pool add takes every SPEC option") {
  const auto outcome =
      parse({"pool", "add", "vws-main", "--edition", "rtx-vws", "--seats", "120", "--kind",
             "subscription", "--expires-at", "2027-06-30", "--starts-at", "2026-11-24T10:00:00Z"});
  const auto& add = command_of<pool_add_command>(outcome);
  CHECK(add.id == "vws-main");
  CHECK(add.edition == vgls::protocol::edition::vws);
  CHECK(add.seats == 120);
  CHECK(add.kind == vgls::protocol::pool_kind::subscription);
  CHECK(add.expires_at == vgls::protocol::parse_rfc3339("2027-06-30T00:00:00Z"));
  CHECK(add.starts_at == vgls::protocol::parse_rfc3339("2026-11-24T10:00:00Z"));
  CHECK_FALSE(add.days);
}

TEST_CASE("pool add refuses what cannot be right, before sending anything") {
  const std::vector<std::vector<std::string>> bad = {
      {"pool", "add", "p", "--edition", "vXX", "--seats", "1", "--days", "30"},
      {"pool", "add", "p", "--edition", "vPC", "--seats", "-1", "--days", "30"},
      {"pool", "add", "p", "--edition", "vPC", "--seats", "many", "--days", "30"},
      {"pool", "add", "p", "--edition", "vPC", "--seats", "1", "--kind", "forever"},
      {"pool", "add", "p", "--edition", "vPC", "--seats", "1", "--expires-at", "tomorrow"},
      {"pool", "add", "p", "--edition", "vPC", "--seats", "1", "--days", "3", "--expires-at",
       "2027-01-01"},
      {"pool", "add", "--edition", "vPC", "--seats", "1"},
      {"pool", "add", "p", "--seats", "1"},
  };
  for (const auto& args : bad) {
    CAPTURE(args);
    const auto outcome = parse(args);
    CHECK_FALSE(outcome.invocation);
    CHECK(outcome.exit_code == 2);
    CHECK(outcome.message_is_error);
  }
}

TEST_CASE("pool set needs something to change") {
  CHECK(parse({"pool", "set", "p"}).exit_code == 2);
  const auto& set = command_of<pool_set_command>(parse({"pool", "set", "p", "--seats", "0"}));
  CHECK(set.seats == 0);
  CHECK_FALSE(set.expires_at);
}

TEST_CASE("pool rm with and without --force") {
  CHECK_FALSE(command_of<pool_rm_command>(parse({"pool", "rm", "p"})).force);
  CHECK(command_of<pool_rm_command>(parse({"pool", "rm", "p", "--force"})).force);
}

TEST_CASE("lease list filters and limit") {
  const auto& list = command_of<lease_list_command>(
      parse({"lease", "list", "--pool", "trial-vws", "--edition", "vws", "--client", "c1",
             "--hostname", "vdi-", "--limit", "7"}));
  CHECK(list.pool == "trial-vws");
  CHECK(list.edition == vgls::protocol::edition::vws);
  CHECK(list.client == "c1");
  CHECK(list.hostname == "vdi-");
  CHECK(list.limit == 7);
  CHECK(parse({"lease", "list", "--limit", "0"}).exit_code == 2);
  CHECK(parse({"lease", "list", "--limit", "1001"}).exit_code == 2);
}

TEST_CASE("lease list pages: --after a cursor, --all pages of 1000 unless --limit says") {
  const auto& one = command_of<lease_list_command>(parse({"lease", "list"}));
  CHECK_FALSE(one.all);
  CHECK_FALSE(one.after);
  CHECK(one.limit == 100);
  const auto& after = command_of<lease_list_command>(parse({"lease", "list", "--after", "42"}));
  CHECK(after.after == "42");
  CHECK(after.limit == 100);
  const auto& all = command_of<lease_list_command>(parse({"lease", "list", "--all"}));
  CHECK(all.all);
  CHECK(all.limit == 1000);
  const auto& small = command_of<lease_list_command>(
      parse({"lease", "list", "--all", "--limit", "10", "--after", "7", "--pool", "p"}));
  CHECK(small.all);
  CHECK(small.limit == 10);
  CHECK(small.after == "7");
  CHECK(small.pool == "p");
  const auto empty = parse({"lease", "list", "--after", ""});
  CHECK(empty.exit_code == 2);
  CHECK(empty.message.find("--after") != std::string::npos);
}

TEST_CASE("lease revoke needs an id") {
  CHECK(command_of<lease_revoke_command>(parse({"lease", "revoke", "lse_abc"})).id == "lse_abc");
  CHECK(parse({"lease", "revoke"}).exit_code == 2);
}

TEST_CASE("events: latest by default, --since as a duration, --type checked") {
  const auto& latest = command_of<events_command>(parse({"events"}));
  CHECK_FALSE(latest.since_seconds);
  CHECK_FALSE(latest.follow);
  const auto& since = command_of<events_command>(
      parse({"events", "--since", "2h", "--type", "lease.denied", "--follow"}));
  CHECK(since.since_seconds == 7200);
  CHECK(since.type == "lease.denied");
  CHECK(since.follow);
  CHECK(parse({"events", "--since", "yesterday"}).exit_code == 2);
  CHECK(parse({"events", "--type", "lease.stolen"}).exit_code == 2);
}

TEST_CASE("usage: defaults 30d by 1d, bucket must be a SPEC bucket") {
  const auto& defaults = command_of<usage_command>(parse({"usage"}));
  CHECK(defaults.since_seconds == 30 * 86400);
  CHECK(defaults.bucket == "1d");
  CHECK_FALSE(defaults.csv);
  const auto& custom = command_of<usage_command>(
      parse({"usage", "--since", "24h", "--bucket", "15m", "--edition", "vpc", "--csv"}));
  CHECK(custom.since_seconds == 86400);
  CHECK(custom.bucket == "15m");
  CHECK(custom.edition == vgls::protocol::edition::vpc);
  CHECK(custom.csv);
  CHECK(parse({"usage", "--bucket", "2h"}).exit_code == 2);
  CHECK_FALSE(defaults.summary);
  const auto& summary = command_of<usage_command>(
      parse({"usage", "--summary", "--since", "365d", "--bucket", "1d", "--json"}));
  CHECK(summary.summary);
  CHECK(summary.since_seconds == 365 * 86400);
}

TEST_CASE("no command, an unknown command, or a bad URL is exit code 2") {
  CHECK(parse({}).exit_code == 2);
  CHECK(parse({"frobnicate"}).exit_code == 2);
  CHECK(parse({"pool"}).exit_code == 2);
  CHECK(parse({"pool", "list", "extra"}).exit_code == 2);
  CHECK(parse({"--server", "ftp://x", "status"}).exit_code == 2);
}

TEST_CASE("help and version end with exit code 0 and print to stdout") {
  const auto help = parse({"--help"});
  CHECK_FALSE(help.invocation);
  CHECK(help.exit_code == 0);
  CHECK_FALSE(help.message_is_error);
  CHECK(help.message.find("pool") != std::string::npos);
  const auto version = parse({"--version"});
  CHECK(version.exit_code == 0);
  CHECK_FALSE(version.message.empty());
}

TEST_CASE("time arguments: RFC 3339 or a plain date") {
  CHECK(parse_time_argument("2027-06-30") == vgls::protocol::parse_rfc3339("2027-06-30T00:00:00Z"));
  CHECK(parse_time_argument("2027-06-30T12:00:00+02:00") ==
        vgls::protocol::parse_rfc3339("2027-06-30T10:00:00Z"));
  CHECK_FALSE(parse_time_argument("30/06/2027"));
  CHECK_FALSE(parse_time_argument("2027-13-45"));
}

TEST_CASE("token discovery: flags, then the environment, then the usual files in order") {
  scratch_file flag_file("from-flag-file\n");
  scratch_file env_file("  from-env-file\n");
  scratch_file first_usual("from-first-usual\n");
  scratch_file second_usual("from-second-usual\n");
  const std::string missing = "/nonexistent/vgls/admin.token";
  token_sources all{"from-flag",
                    flag_file.path(),
                    "from-env",
                    env_file.path(),
                    {missing, first_usual.path(), second_usual.path()}};

  auto found = find_token(all);
  CHECK(found.token == "from-flag");
  CHECK(found.source == "--token");

  all.flag_token.reset();
  found = find_token(all);
  CHECK(found.token == "from-flag-file");
  CHECK(found.source == flag_file.path());

  all.flag_file.reset();
  found = find_token(all);
  CHECK(found.token == "from-env");
  CHECK(found.source == "VGLS_TOKEN");

  all.env_token.reset();
  found = find_token(all);
  CHECK(found.token == "from-env-file");

  all.env_file.reset();
  found = find_token(all);
  CHECK(found.token == "from-first-usual");
  CHECK(found.source == first_usual.path());
  CHECK_FALSE(found.error);

  all.usual_files = {missing};
  found = find_token(all);
  CHECK_FALSE(found.token);
  CHECK_FALSE(found.error);
}

TEST_CASE("token discovery: an empty usual file is skipped, a named unreadable file is an error") {
  scratch_file empty("\n");
  scratch_file usual("usual\n");
  auto found = find_token(token_sources{{}, {}, {}, {}, {empty.path(), usual.path()}});
  CHECK(found.token == "usual");

  found = find_token(token_sources{{}, {}, {}, "/nonexistent/vgls/token", {usual.path()}});
  CHECK_FALSE(found.token);
  REQUIRE(found.error);
  CHECK(found.error->find("VGLS_TOKEN_FILE") != std::string::npos);

  found = find_token(token_sources{{}, empty.path(), {}, {}, {usual.path()}});
  REQUIRE(found.error);
  CHECK(found.error->find("is empty") != std::string::npos);
}

TEST_CASE("the command line finds the token through the environment and the usual files") {
  scratch_file env_file("env-file-token\n");
  scratch_file usual("usual-token\n");
  environment env;
  env.usual_token_files = {usual.path()};
  auto outcome = parse({"status"}, env);
  REQUIRE(outcome.invocation);
  CHECK(outcome.invocation->token == "usual-token");
  CHECK(outcome.invocation->unauthorized_hint.find(usual.path()) != std::string::npos);

  env.token_file = env_file.path();
  outcome = parse({"status"}, env);
  REQUIRE(outcome.invocation);
  CHECK(outcome.invocation->token == "env-file-token");

  env.token_file = "/nonexistent/vgls/token";
  outcome = parse({"status"}, env);
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.find("VGLS_TOKEN_FILE: cannot read /nonexistent/vgls/token") !=
        std::string::npos);
}

TEST_CASE("with no token found, the 401 hint names the usual files and --token-file") {
  environment env;
  env.usual_token_files = {"/nonexistent/a/admin.token", "/nonexistent/b/admin.token"};
  const auto outcome = parse({"status"}, env);
  REQUIRE(outcome.invocation);
  CHECK_FALSE(outcome.invocation->token);
  const auto& hint = outcome.invocation->unauthorized_hint;
  CHECK(hint.find("/nonexistent/a/admin.token or /nonexistent/b/admin.token") != std::string::npos);
  CHECK(hint.find("--token-file") != std::string::npos);
}

TEST_CASE("an unknown command names the valid ones and the nearest") {
  auto outcome = parse({"--server", "http://127.0.0.1:7070", "pol", "list"});
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.find("vglsctl has no command 'pol'; did you mean 'pool'?") !=
        std::string::npos);
  CHECK(outcome.message.find("status, pool, lease, events, usage, key, token") !=
        std::string::npos);

  outcome = parse({"pool", "lsit"});
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.find("vglsctl pool has no command 'lsit'; did you mean 'list'?") !=
        std::string::npos);
  CHECK(outcome.message.find("list, add, set, rm") != std::string::npos);

  outcome = parse({"frobnicate"});
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.find("did you mean") == std::string::npos);
  // A flag takes no value, so the word after it is the command.
  CHECK(parse({"--json", "token", "list"}).invocation);
  // A leaf command's positional argument is not a command word.
  CHECK(parse({"pool", "rm", "lsit"}).invocation);
}

TEST_CASE("bad numbers and past expiries are said in plain words") {
  auto outcome = parse(
      {"pool", "add", "p", "--edition", "vws", "--seats", "99999999999999999999", "--days", "3"});
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.find("--seats must be a whole number from 0 to 10000000") !=
        std::string::npos);
  CHECK(parse({"pool", "set", "p", "--seats", "-1"}).exit_code == 2);
  CHECK(command_of<pool_set_command>(parse({"pool", "set", "p", "--seats", "7"})).seats == 7);
  outcome = parse({"pool", "add", "p", "--edition", "vws", "--seats", "1", "--days",
                   "999999999999999999999999"});
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.find("--days must be a whole number from 1 to 36500") != std::string::npos);
  outcome = parse({"lease", "list", "--limit", "5000"});
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.find("--limit must be a whole number from 1 to 1000, not '5000'") !=
        std::string::npos);
  CHECK(command_of<lease_list_command>(parse({"lease", "list", "--limit", "7"})).limit == 7);

  environment env;
  env.now = 1'800'000'000;  // 2027-01-15
  outcome = parse(
      {"pool", "add", "p", "--edition", "vws", "--seats", "1", "--expires-at", "2026-06-30"}, env);
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.find("2026-06-30T00:00:00Z is in the past (now is 2027-01-15") !=
        std::string::npos);
}
