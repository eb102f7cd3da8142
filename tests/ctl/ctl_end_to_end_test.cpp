// vglsctl, the real binary, against a real vglsd: every command of SPEC §5, the JSON and CSV forms,
// and the exit codes a script relies on (wrong token, dead server, bad command line).
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vglsd_process.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

vglsd_options no_trial() {
  vglsd_options options;
  options.config_toml = "[trial]\nenabled = false\n";
  return options;
}

// vglsctl --server URL --token TOKEN args…
run_result ctl(const vglsd_process& server, std::vector<std::string> args,
               std::optional<std::string> token = std::nullopt) {
  std::vector<std::string> argv = {VGLS_CTL_BIN, "--server", server.url(), "--token",
                                   token.value_or(server.admin_token())};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, 60s);
}

nlohmann::json json_of(const run_result& run) {
  INFO(run.output);
  auto parsed = nlohmann::json::parse(run.output, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

// JSON Lines → one value per line.
std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> values;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const auto line = text.substr(start, end - start);
    if (!line.empty())
      values.push_back(nlohmann::json::parse(line, nullptr, false));
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return values;
}

bool contains(const std::string& text, std::string_view needle) {
  return text.find(needle) != std::string::npos;
}

void checkout(const vglsd_process& server, const std::string& client_id, const char* edition,
              const std::string& hostname, int expected = 201) {
  auto client = server.client();
  REQUIRE(call_json(*client, "POST", "/v1/leases",
                    {{"client_id", client_id}, {"edition", edition}, {"hostname", hostname}})
              .status == expected);
}

}  // namespace

TEST_CASE("vglsctl manages pools: add, list, set, rm") {
  vglsd_process server(no_trial());

  auto added = ctl(server, {"pool", "add", "vws-main", "--edition", "vws", "--seats", "120",
                            "--expires-at", "2099-06-30"});
  INFO(added.output);
  REQUIRE(added.exit_status == 0);
  CHECK(contains(added.output, "vws-main"));
  CHECK(contains(added.output, "2099-06-30 00:00:00Z"));

  REQUIRE(ctl(server, {"pool", "add", "vpc-trial", "--edition", "vPC", "--seats", "4", "--kind",
                       "trial", "--days", "10"})
              .exit_status == 0);
  REQUIRE(ctl(server, {"pool", "add", "vapp-perp", "--edition", "vApp", "--seats", "2", "--kind",
                       "perpetual"})
              .exit_status == 0);

  const auto table = ctl(server, {"pool", "list"});
  REQUIRE(table.exit_status == 0);
  CHECK(contains(table.output, "POOL"));
  INFO(table.output);
  // Days left are rounded down (SPEC §2): once a second has passed since the pool was made with
  // --days 10, it has 9 whole days left.
  CHECK(
      (contains(table.output, "10 (expires soon)") || contains(table.output, " 9 (expires soon)")));
  CHECK(contains(table.output, "never"));

  const auto listed = json_of(ctl(server, {"pool", "list", "--json"}));
  REQUIRE(listed["pools"].size() == 3);
  CHECK(listed["pools"][2]["id"] == "vws-main");
  CHECK(listed["pools"][2]["seats"] == 120);
  CHECK(listed["pools"][2]["edition"] == "vWS");

  const auto changed = json_of(ctl(server, {"--json", "pool", "set", "vws-main", "--seats", "7"}));
  CHECK(changed["pool"]["seats"] == 7);

  const auto duplicate =
      ctl(server, {"pool", "add", "vws-main", "--edition", "vWS", "--seats", "1", "--days", "30"});
  CHECK(duplicate.exit_status == 1);
  CHECK(contains(duplicate.output, "error: pool_exists:"));

  const auto invalid =
      ctl(server, {"pool", "add", "Bad_Id!", "--edition", "vWS", "--seats", "1", "--days", "30"});
  CHECK(invalid.exit_status == 1);
  CHECK(contains(invalid.output, "error: invalid_request:"));

  CHECK(ctl(server, {"pool", "rm", "vapp-perp"}).exit_status == 0);
  const auto gone = ctl(server, {"pool", "rm", "vapp-perp"});
  CHECK(gone.exit_status == 1);
  CHECK(contains(gone.output, "error: pool_not_found:"));
}

TEST_CASE("vglsctl pool rm refuses a pool in use unless --force") {
  vglsd_process server(no_trial());
  REQUIRE(
      ctl(server, {"pool", "add", "p", "--edition", "vCS", "--seats", "2", "--kind", "perpetual"})
          .exit_status == 0);
  checkout(server, "vm-1", "vCS", "gpu-1");

  const auto refused = ctl(server, {"pool", "rm", "p"});
  CHECK(refused.exit_status == 1);
  CHECK(contains(refused.output, "error: pool_in_use:"));
  CHECK(ctl(server, {"pool", "rm", "p", "--force"}).exit_status == 0);
  CHECK(json_of(ctl(server, {"lease", "list", "--json"}))["total"] == 0);
}

TEST_CASE("vglsctl status shows server facts and pools") {
  vglsd_process server(no_trial());
  REQUIRE(ctl(server, {"pool", "add", "p", "--edition", "vWS", "--seats", "3", "--days", "90"})
              .exit_status == 0);
  checkout(server, "vm-1", "vWS", "ws-1");

  const auto table = ctl(server, {"status"});
  INFO(table.output);
  REQUIRE(table.exit_status == 0);
  CHECK(contains(table.output, "version"));
  CHECK(contains(table.output, "1 active in 1 pools"));
  CHECK(contains(table.output, "clock    ok"));

  const auto status = json_of(ctl(server, {"status", "--json"}));
  CHECK(status["server"]["leases_active"] == 1);
  CHECK(status["server"]["storage_backend"] == backend_name(server.backend()));
  CHECK(status["pools"][0]["used"] == 1);
}

TEST_CASE("vglsctl lists leases with filters and revokes them") {
  vglsd_process server(no_trial());
  REQUIRE(ctl(server, {"pool", "add", "p", "--edition", "vWS", "--seats", "10", "--days", "90"})
              .exit_status == 0);
  checkout(server, "vm-a1", "vWS", "lab-a1");
  checkout(server, "vm-a2", "vWS", "lab-a2");
  checkout(server, "vm-b1", "vPC", "lab-b1");  // upgraded to vWS

  const auto table = ctl(server, {"lease", "list"});
  INFO(table.output);
  REQUIRE(table.exit_status == 0);
  CHECK(contains(table.output, "vWS (for vPC)"));
  CHECK(contains(table.output, "3 of 3 leases"));

  const auto lab_a = json_of(ctl(server, {"lease", "list", "--hostname", "lab-a", "--json"}));
  CHECK(lab_a["total"] == 2);
  CHECK(lab_a["leases"].size() == 2);

  const auto one = json_of(ctl(server, {"lease", "list", "--limit", "1", "--json"}));
  CHECK(one["leases"].size() == 1);
  CHECK_FALSE(one["next"].is_null());
  CHECK(contains(ctl(server, {"lease", "list", "--limit", "1"}).output, "1 of 3 leases (more:"));

  const auto by_client = json_of(ctl(server, {"lease", "list", "--client", "vm-b1", "--json"}));
  REQUIRE(by_client["leases"].size() == 1);
  const std::string lease_id = by_client["leases"][0]["id"];

  const auto revoked = ctl(server, {"lease", "revoke", lease_id});
  CHECK(revoked.exit_status == 0);
  CHECK(contains(revoked.output, "revoked lease " + lease_id));
  const auto again = ctl(server, {"lease", "revoke", lease_id});
  CHECK(again.exit_status == 1);
  CHECK(contains(again.output, "error: lease_not_found:"));
  CHECK(json_of(ctl(server, {"lease", "list", "--json"}))["total"] == 2);
}

namespace {

// The cursor a page's footer offers: "… (more: --after CURSOR, or --all …)".
std::string offered_cursor(const std::string& output) {
  const auto at = output.find("--after ");
  if (at == std::string::npos)
    return {};
  const auto start = at + std::string_view("--after ").size();
  return output.substr(start, output.find(',', start) - start);
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

}  // namespace

TEST_CASE("vglsctl lease list pages through more leases than a page: --after and --all") {
  vglsd_process server(no_trial());
  REQUIRE(ctl(server, {"pool", "add", "p", "--edition", "vWS", "--seats", "40", "--days", "90"})
              .exit_status == 0);
  constexpr int lease_count = 25;
  std::vector<std::string> clients;
  for (int i = 0; i < lease_count; ++i) {
    const std::string n = (i < 10 ? "0" : "") + std::to_string(i);
    clients.push_back("vm-" + n);
    checkout(server, clients.back(), "vWS", "pg-" + n);
  }

  // Page by page with --after, as a script would: 10 + 10 + 5, each lease once.
  std::set<std::string> seen;
  std::vector<std::size_t> page_sizes;
  std::optional<std::string> after;
  for (int pages = 0; pages < 10; ++pages) {
    std::vector<std::string> args = {"lease", "list", "--limit", "10", "--json"};
    if (after) {
      args.push_back("--after");
      args.push_back(*after);
    }
    const auto page = json_of(ctl(server, args));
    CHECK(page["total"] == lease_count);
    page_sizes.push_back(page["leases"].size());
    for (const auto& l : page["leases"])
      CHECK(seen.insert(l["client_id"].get<std::string>()).second);
    if (page["next"].is_null())
      break;
    after = page["next"].get<std::string>();
  }
  CHECK(page_sizes == std::vector<std::size_t>{10, 10, 5});
  CHECK(seen == std::set<std::string>(clients.begin(), clients.end()));

  // The table's footer offers the next cursor; the page after it continues the listing.
  const auto first = ctl(server, {"lease", "list", "--limit", "10"});
  INFO(first.output);
  REQUIRE(first.exit_status == 0);
  CHECK(contains(first.output, "10 of 25 leases (more: --after "));
  const std::string cursor = offered_cursor(first.output);
  REQUIRE_FALSE(cursor.empty());
  const auto second = ctl(server, {"lease", "list", "--limit", "10", "--after", cursor});
  INFO(second.output);
  REQUIRE(second.exit_status == 0);
  CHECK(contains(second.output, "vm-10"));
  CHECK_FALSE(contains(second.output, "vm-09"));
  const auto last =
      ctl(server, {"lease", "list", "--limit", "10", "--after", offered_cursor(second.output)});
  CHECK(contains(last.output, "5 of 25 leases\n"));
  CHECK_FALSE(contains(last.output, "--after"));

  // --all: one table, one header, every lease once, over pages of 10.
  const auto all = ctl(server, {"lease", "list", "--all", "--limit", "10"});
  INFO(all.output);
  REQUIRE(all.exit_status == 0);
  CHECK(occurrences(all.output, "LEASE") == 1);
  for (const auto& client : clients)
    CHECK(occurrences(all.output, client + " ") == 1);
  CHECK(contains(all.output, "\n25 leases\n"));

  // --all --json keeps the shape of one page, with no next page.
  for (const char* limit : {"7", "1000"}) {
    const auto listed =
        json_of(ctl(server, {"lease", "list", "--all", "--limit", limit, "--json"}));
    CHECK(listed["next"].is_null());
    CHECK(listed["total"] == lease_count);
    std::set<std::string> ids;
    for (const auto& l : listed["leases"])
      ids.insert(l["client_id"].get<std::string>());
    CHECK(ids == std::set<std::string>(clients.begin(), clients.end()));
  }

  // Filters hold on every page; --all may start after a cursor.
  const auto filtered = json_of(
      ctl(server, {"lease", "list", "--all", "--hostname", "pg-1", "--limit", "3", "--json"}));
  CHECK(filtered["leases"].size() == 10);
  const auto rest = json_of(ctl(server, {"lease", "list", "--all", "--after", cursor, "--json"}));
  CHECK(rest["leases"].size() == 15);
  CHECK(rest["leases"][0]["client_id"] == "vm-10");

  // A cursor the server did not make is refused in its words.
  const auto bad = ctl(server, {"lease", "list", "--after", "not-a-cursor"});
  CHECK(bad.exit_status == 1);
  CHECK(contains(bad.output, "error: invalid_request:"));
  const auto bad_all = ctl(server, {"lease", "list", "--all", "--after", "not-a-cursor"});
  CHECK(bad_all.exit_status == 1);
}

TEST_CASE("vglsctl events: the latest, by type, since a time, and following") {
  vglsd_process server(no_trial());
  REQUIRE(ctl(server, {"pool", "add", "p", "--edition", "vApp", "--seats", "1", "--days", "9"})
              .exit_status == 0);
  checkout(server, "vm-1", "vApp", "h1");
  checkout(server, "vm-2", "vApp", "h2", 409);  // denied: the pool is full

  const auto latest = ctl(server, {"events"});
  INFO(latest.output);
  REQUIRE(latest.exit_status == 0);
  CHECK(contains(latest.output, "pool.created  pool=p"));
  CHECK(contains(latest.output, "lease.granted"));
  CHECK(contains(latest.output, "lease.denied"));

  const auto denied =
      json_lines(ctl(server, {"events", "--type", "lease.denied", "--json"}).output);
  REQUIRE(denied.size() == 1);
  CHECK(denied[0]["type"] == "lease.denied");
  CHECK(denied[0]["client_id"] == "vm-2");

  const auto recent = json_lines(ctl(server, {"events", "--since", "1h", "--json"}).output);
  CHECK(recent.size() >= 3);
  for (std::size_t i = 1; i < recent.size(); ++i)
    CHECK(recent[i]["id"].get<std::int64_t>() > recent[i - 1]["id"].get<std::int64_t>());

  // More events than the latest-20 default: only the newest 20, in order.
  for (int i = 0; i < 25; ++i)
    checkout(server, "burst-" + std::to_string(i), "vApp", "b", 409);
  const auto tail = json_lines(ctl(server, {"events", "--json"}).output);
  REQUIRE(tail.size() == 20);
  CHECK(tail.back()["client_id"] == "burst-24");
  CHECK(tail.front()["client_id"] == "burst-5");
  // The latest of one type, however many other events came after it.
  const auto created =
      json_lines(ctl(server, {"events", "--type", "pool.created", "--json"}).output);
  REQUIRE(created.size() == 1);
  CHECK(created[0]["pool_id"] == "p");

  temp_dir dir("vgls-ctl-follow");
  child_process follower({VGLS_CTL_BIN, "--server", server.url(), "--token", server.admin_token(),
                          "events", "--follow", "--type", "pool.created"},
                         dir / "follow.txt");
  REQUIRE(wait_until([&] { return contains(follower.output(), "pool=p"); }, 30s));
  REQUIRE(ctl(server, {"pool", "add", "later", "--edition", "vWS", "--seats", "1", "--days", "5"})
              .exit_status == 0);
  CHECK(wait_until([&] { return contains(follower.output(), "pool=later"); }, 30s));
  CHECK(follower.running());
  follower.kill();
}

TEST_CASE("vglsctl usage prints a table, JSON and CSV") {
  vglsd_process server(no_trial());
  REQUIRE(ctl(server, {"pool", "add", "p", "--edition", "vPC", "--seats", "2", "--days", "90"})
              .exit_status == 0);
  checkout(server, "vm-1", "vPC", "h1");

  const auto table = ctl(server, {"usage", "--since", "1d", "--bucket", "1h"});
  REQUIRE(table.exit_status == 0);
  CHECK(contains(table.output, "START"));
  CHECK(contains(table.output, "PEAK"));

  const auto csv =
      ctl(server, {"usage", "--since", "2h", "--bucket", "1h", "--edition", "vPC", "--csv"});
  INFO(csv.output);
  REQUIRE(csv.exit_status == 0);
  CHECK(csv.output.rfind("start,edition,peak_used,seats,granted,denied\n", 0) == 0);
  CHECK(contains(csv.output, ",vPC,1,2,1,0\n"));
  CHECK_FALSE(contains(csv.output, "vWS"));

  const auto json = json_of(ctl(server, {"usage", "--json", "--since", "30d"}));
  CHECK_FALSE(json["buckets"].empty());
}

TEST_CASE("vglsctl usage --summary: per edition peak, seats, grants and denials over the span") {
  vglsd_process server(no_trial());
  REQUIRE(ctl(server, {"pool", "add", "p", "--edition", "vPC", "--seats", "2", "--days", "90"})
              .exit_status == 0);
  checkout(server, "vm-1", "vPC", "h1");
  checkout(server, "vm-2", "vPC", "h2");
  checkout(server, "vm-3", "vPC", "h3", 409);   // the pool is full: denied
  checkout(server, "vm-4", "vApp", "h4", 404);  // no pool at all: denied too
  {
    auto client = server.client();
    const auto mine =
        json_of(ctl(server, {"lease", "list", "--client", "vm-1", "--json"}))["leases"][0]["id"];
    REQUIRE(call(*client, "DELETE", "/v1/leases/" + mine.get<std::string>()).status == 204);
  }
  checkout(server, "vm-5", "vPC", "h5");  // a third grant; never more than 2 at once

  const auto json =
      json_of(ctl(server, {"usage", "--summary", "--since", "2h", "--bucket", "1h", "--json"}));
  REQUIRE(json["editions"].size() == 4);
  CHECK(json["bucket"] == "1h");
  CHECK_FALSE(json["from"].is_null());
  std::map<std::string, nlohmann::json> by_edition;
  for (const auto& e : json["editions"])
    by_edition[e["edition"].get<std::string>()] = e;
  CHECK(by_edition["vPC"]["peak_used"] == 2);
  CHECK(by_edition["vPC"]["seats"] == 2);
  CHECK(by_edition["vPC"]["granted"] == 3);
  CHECK(by_edition["vPC"]["denied"] == 1);
  CHECK_FALSE(by_edition["vPC"]["peak_at"].is_null());
  CHECK(by_edition["vApp"]["peak_used"] == 0);
  CHECK(by_edition["vApp"]["peak_at"].is_null());
  CHECK(by_edition["vApp"]["denied"] == 1);
  CHECK(by_edition["vWS"]["seats"] == 0);

  const auto table = ctl(server, {"usage", "--summary", "--since", "2h"});
  INFO(table.output);
  REQUIRE(table.exit_status == 0);
  CHECK(contains(table.output, "usage from "));
  CHECK(contains(table.output, "EDITION  PEAK"));
  CHECK(occurrences(table.output, "\nvPC ") == 1);

  const auto csv =
      ctl(server, {"usage", "--summary", "--since", "2h", "--edition", "vpc", "--csv"});
  INFO(csv.output);
  REQUIRE(csv.exit_status == 0);
  CHECK(csv.output.rfind("from,to,edition,peak_used,peak_at,seats,granted,denied\n", 0) == 0);
  CHECK(occurrences(csv.output, "\n") == 2);
  CHECK(contains(csv.output, ",vPC,2,"));
  CHECK(contains(csv.output, ",2,3,1\n"));
}

TEST_CASE("vglsctl exit codes: 4 for a wrong token, 3 for a dead server, 2 for a bad line") {
  vglsd_process server(no_trial());

  const auto wrong = ctl(server, {"pool", "list"}, std::string("not-the-token"));
  CHECK(wrong.exit_status == 4);
  CHECK(contains(wrong.output, "error: unauthorized:"));

  const auto missing =
      run_program({VGLS_CTL_BIN, "--server", server.url(), "status"}, 60s, {{"VGLS_TOKEN", ""}});
  CHECK(missing.exit_status == 4);

  const auto bad_line = ctl(server, {"pool", "add", "x", "--edition", "vNope", "--seats", "1"});
  CHECK(bad_line.exit_status == 2);
  CHECK(contains(bad_line.output, "unknown edition"));
  CHECK(ctl(server, {"frobnicate"}).exit_status == 2);
  CHECK(ctl(server, {"lease", "list", "--limit", "5000"}).exit_status == 2);

  const std::string url = server.url();
  const std::string token = server.admin_token();
  REQUIRE(server.terminate() == 0);
  const auto dead = run_program({VGLS_CTL_BIN, "--server", url, "--token", token, "status"}, 60s);
  CHECK(dead.exit_status == 3);
  CHECK(contains(dead.output, "error: unreachable:"));
}

TEST_CASE("vglsctl reads VGLS_SERVER, VGLS_TOKEN and --token-file") {
  vglsd_process server(no_trial());
  const auto from_env =
      run_program({VGLS_CTL_BIN, "pool", "list", "--json"}, 60s,
                  {{"VGLS_SERVER", server.url()}, {"VGLS_TOKEN", server.admin_token()}});
  CHECK(from_env.exit_status == 0);
  CHECK(json_of(from_env)["pools"].empty());

  temp_dir dir("vgls-ctl-token");
  write_file(dir / "admin.token", server.admin_token() + "\n");
  const auto from_file = run_program({VGLS_CTL_BIN, "--server", server.url(), "--token-file",
                                      (dir / "admin.token").string(), "status"},
                                     60s, {{"VGLS_TOKEN", ""}});
  CHECK(from_file.exit_status == 0);
}

TEST_CASE("vglsctl talks to an https server it trusts through --ca-file") {
  if (!std::filesystem::exists("/usr/bin/openssl")) {
    WARN("skipped: no openssl command to make a certificate with");
    return;
  }
  temp_dir dir("vgls-ctl-tls");
  const auto cert = dir / "server.crt";
  const auto key = dir / "server.key";
  const auto made =
      run_program({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                   key.string(), "-out", cert.string(), "-days", "2", "-subj", "/CN=127.0.0.1",
                   "-addext", "subjectAltName=IP:127.0.0.1"},
                  60s);
  REQUIRE(made.exit_status == 0);
  const std::string token(64, 'a');
  write_file(dir / "admin.token", token + "\n");
  write_file(dir / "vglsd.toml", "[server]\ntls_cert = \"" + cert.string() + "\"\ntls_key = \"" +
                                     key.string() + "\"\nadmin_token_file = \"" +
                                     (dir / "admin.token").string() +
                                     "\"\n[trial]\nenabled = false\n");
  const int port = free_port();
  child_process server({VGLS_VGLSD_BIN, "--config", (dir / "vglsd.toml").string(), "--listen",
                        "127.0.0.1:" + std::to_string(port), "--data-dir", (dir / "data").string()},
                       dir / "vglsd.log");
  const std::string url = "https://127.0.0.1:" + std::to_string(port);

  run_result trusted;
  const bool answered = wait_until(
      [&] {
        trusted = run_program({VGLS_CTL_BIN, "--server", url, "--ca-file", cert.string(), "--token",
                               token, "pool", "list", "--json"},
                              60s);
        return trusted.exit_status != 3;
      },
      30s);
  INFO(trusted.output);
  INFO(read_file(dir / "vglsd.log"));
  REQUIRE(answered);
  CHECK(trusted.exit_status == 0);
  CHECK(json_of(trusted)["pools"].empty());

  // Without the CA the certificate is not trusted: no exchange, so "unreachable".
  const auto doubting =
      run_program({VGLS_CTL_BIN, "--server", url, "--token", token, "status"}, 60s);
  CHECK(doubting.exit_status == 3);
  CHECK(contains(doubting.output, "error: unreachable:"));
}

TEST_CASE("vglsctl token add|list|rm and key list|rotate", "[ctl][e2e][access]") {
  vglsd_process server(no_trial());
  auto added = ctl(server, {"--json", "token", "add", "dash", "--role", "viewer"});
  REQUIRE(added.exit_status == 0);
  const std::string secret = json_of(added)["secret"];
  CHECK(secret.size() == 64);

  // The viewer reads, and is refused a change with exit 4.
  CHECK(ctl(server, {"pool", "list"}, secret).exit_status == 0);
  auto refused =
      ctl(server, {"pool", "add", "p", "--edition", "vWS", "--seats", "1", "--kind", "perpetual"},
          secret);
  CHECK(refused.exit_status == 4);
  CHECK(contains(refused.output, "error: forbidden"));

  auto listed = ctl(server, {"token", "list"});
  REQUIRE(listed.exit_status == 0);
  CHECK(contains(listed.output, "dash"));
  CHECK(contains(listed.output, "viewer"));
  CHECK_FALSE(contains(listed.output, secret));
  CHECK(ctl(server, {"token", "add", "dash", "--role", "admin"}).exit_status == 1);
  CHECK(ctl(server, {"token", "add", "x", "--role", "root"}).exit_status == 2);

  auto keys = json_of(ctl(server, {"--json", "key", "list"}));
  REQUIRE(keys["keys"].size() == 1);
  const std::string first = keys["keys"][0]["kid"];
  auto rotated = json_of(ctl(server, {"--json", "key", "rotate"}));
  REQUIRE(rotated["keys"].size() == 2);
  CHECK(rotated["keys"][1]["kid"] == first);
  CHECK(ctl(server, {"key", "rotate"}, secret).exit_status == 4);

  CHECK(ctl(server, {"token", "rm", "dash"}).exit_status == 0);
  CHECK(ctl(server, {"pool", "list"}, secret).exit_status == 4);
  CHECK(ctl(server, {"token", "rm", "dash"}).exit_status == 1);
}

namespace {

// vglsctl run from `directory` (via /bin/sh, since run_program keeps the test's working
// directory), with no token in the environment.
run_result ctl_in(const std::filesystem::path& directory, const vglsd_process& server,
                  const std::string& args) {
  const std::string script = "cd '" + directory.string() +
                             "' && exec '" VGLS_CTL_BIN "' --server " + server.url() + " " + args +
                             " 2>&1";
  return run_program({"/bin/sh", "-c", script}, 60s, {{"VGLS_TOKEN", ""}, {"VGLS_TOKEN_FILE", ""}});
}

}  // namespace

TEST_CASE("vglsctl finds ./vgls-data/admin.token in its working directory") {
  temp_dir work("vgls-ctl-cwd");
  vglsd_options options = no_trial();
  options.data_dir = work / "vgls-data";
  vglsd_process server(options);
  REQUIRE(std::filesystem::exists(work / "vgls-data" / "admin.token"));

  const auto listed = ctl_in(work.path(), server, "pool list --json");
  INFO(listed.output);
  CHECK(listed.exit_status == 0);
  CHECK(contains(listed.output, "\"pools\""));
}

TEST_CASE("vglsctl without a token: the 401 says where the token usually is") {
  temp_dir empty("vgls-ctl-empty");
  vglsd_process server(no_trial());

  const auto refused = ctl_in(empty.path(), server, "status");
  INFO(refused.output);
  CHECK(refused.exit_status == 4);
  CHECK(contains(refused.output, "error: unauthorized:"));
  CHECK(contains(refused.output, "./vgls-data/admin.token"));
  CHECK(contains(refused.output, "/etc/vgls/admin.token"));
  CHECK(contains(refused.output, "--token-file"));

  const auto wrong = ctl(server, {"status"}, std::string("not-the-token"));
  CHECK(wrong.exit_status == 4);
  CHECK(contains(wrong.output, "the token from --token was not accepted"));
}
