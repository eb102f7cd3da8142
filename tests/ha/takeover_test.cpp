// Takeover with real processes: the active node killed or frozen under load; a standby serves,
// nothing acknowledged is lost, and two nodes never both accept writes (SPEC §7). A node's change
// of role is logged as a warning (SPEC §13).
#include <signal.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "tests/ha/ha_cluster.h"
#include "tests/server/e2e_steps.h"
#include "tests/support/checkout_load.h"
#include "tests/support/ledger_checks.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

void create_big_pool(vglsd_process& active) {
  REQUIRE(create_pool(*active.admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", 100000}, {"kind", "perpetual"}})
              .status == 201);
}

}  // namespace

TEST_CASE("kill -9 of the active node under load, three times: a standby serves, nothing lost",
          "[ha][takeover]") {
  fresh_postgres_database database;
  ha_cluster cluster(database.dsn());
  auto active = cluster.wait_for_active(10s);
  REQUIRE(active == 0u);
  create_big_pool(cluster.node(0));

  checkout_load load(cluster.urls());
  for (int round = 0; round < 3; ++round) {
    const auto granted_before = load.granted();
    REQUIRE(wait_until([&] { return load.granted() >= granted_before + 50; }, 30s));
    const std::size_t killed = *active;
    cluster.node(killed).kill9();
    active = cluster.wait_for_active(15s);
    REQUIRE(active.has_value());
    CHECK(*active != killed);
    // The killed node comes back as a standby.
    cluster.node(killed).start();
    auto health = call_json(*cluster.node(killed).client(), "GET", "/healthz");
    CHECK(health.body.value("role", "") == "standby");
    CHECK(cluster.active_count() == 1);
  }
  const auto granted_before = load.granted();
  REQUIRE(wait_until([&] { return load.granted() >= granted_before + 50; }, 30s));
  load.stop();
  INFO("held " << load.held().size() << ", released " << load.released().size() << ", unanswered "
               << load.unanswered());
  check_held_and_seats(cluster.node(*active), load);
  auto events = call_json(*cluster.node(*active).admin_client(), "GET",
                          "/v1/events?type=server.started&limit=1000");
  // Each takeover is recorded, after the first start of each node.
  CHECK(events.body["events"].size() >= 4);
}

TEST_CASE("a frozen active node loses its session, and thawed it stands by and writes nothing",
          "[ha][takeover]") {
  fresh_postgres_database database;
  ha_cluster cluster(database.dsn(), 2);
  REQUIRE(cluster.wait_for_active(10s) == 0u);
  create_big_pool(cluster.node(0));
  auto first = cluster.node(0).client();
  auto lease = checkout(*first, "vm-before", "vWS");
  REQUIRE(lease.status == 201);

  ::kill(cluster.node(0).pid(), SIGSTOP);
  // PostgreSQL ends the frozen node's session after session_timeout (3 s); the standby serves.
  REQUIRE(wait_until(
      [&] {
        auto r = call_json(*cluster.node(1).client(), "GET", "/healthz/active");
        return r.status == 200;
      },
      30s));
  auto second = cluster.node(1).client();
  CHECK(call_json(*second, "POST",
                  "/v1/leases/" + lease.body["lease"]["id"].get<std::string>() + "/renew")
            .status == 200);
  CHECK(checkout(*second, "vm-during", "vWS").status == 201);

  ::kill(cluster.node(0).pid(), SIGCONT);
  // Thawed, the old node finds its session gone: it answers writes 503, never 201.
  auto after = checkout(*first, "vm-after-thaw", "vWS");
  CHECK(after.status == 503);
  CHECK(error_code_of(after) == "unavailable");
  REQUIRE(wait_until(
      [&] { return call_json(*first, "GET", "/healthz").body.value("role", "") == "standby"; },
      30s));
  // As a standby it points the client at the active node.
  auto standby_answer = checkout(*first, "vm-after-standby", "vWS");
  CHECK(standby_answer.status == 503);
  CHECK(standby_answer.raw.header("Retry-After") == "1");
  CHECK(standby_answer.raw.header("Vgls-Active-Node") == cluster.node(1).url());
  CHECK(cluster.active_count() == 1);
  // Nothing the thawed node was asked reached the database.
  for (const char* client : {"vm-after-thaw", "vm-after-standby"}) {
    auto leases = call_json(*cluster.node(1).admin_client(), "GET",
                            std::string("/v1/leases?client_id=") + client);
    CHECK(leases.body["total"] == 0);
  }
  CHECK_THAT(cluster.node(0).log(), Catch::Contains("no longer the active node"));
}

TEST_CASE("under journald, a node's change of role is a warning both ways", "[ha][takeover][log]") {
  fresh_postgres_database database;
  vglsd_options options;
  options.backend = test_backend::postgres;
  options.postgres_dsn = database.dsn();
  options.config_toml = ha_node_config();
  options.env["JOURNAL_STREAM"] = "1:1";
  vglsd_process node(options);
  REQUIRE(call_json(*node.client(), "GET", "/healthz").body.value("role", "") == "active");
  // PostgreSQL ends the node's sessions: it stops being the active node, then takes over again.
  execute_sql(fresh_postgres_database::server_dsn(),
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                  database.name() + "'");
  REQUIRE(wait_until(
      [&] { return node.log().find("took over as the active node") != std::string::npos; }, 30s));
  REQUIRE(wait_until(
      [&] { return call_json(*node.client(), "GET", "/healthz/active").status == 200; }, 30s));
  REQUIRE(node.terminate() == 0);

  std::vector<std::string> lost, took_over;
  std::istringstream log(node.log());
  for (std::string line; std::getline(log, line);) {
    if (line.find("no longer the active node") != std::string::npos)
      lost.push_back(line);
    if (line.find("took over as the active node") != std::string::npos)
      took_over.push_back(line);
  }
  REQUIRE(lost.size() == 1);
  CHECK(lost[0].starts_with("<4>[warning] this node is no longer the active node: "));
  REQUIRE(took_over.size() == 1);
  CHECK(took_over[0].starts_with("<4>[warning] this node took over as the active node of "));
}
