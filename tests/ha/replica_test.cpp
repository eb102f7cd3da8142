// PostgreSQL's own failover: a synchronous streaming replica promoted after the primary stops
// brings the installation back without restarting vglsd, with every acknowledged lease.
#include <catch2/catch.hpp>

#include "tests/ha/ha_cluster.h"
#include "tests/server/e2e_steps.h"
#include "tests/support/checkout_load.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

TEST_CASE("promoting a synchronous replica brings the nodes back with every acknowledged lease",
          "[ha][replica]") {
  postgres_server primary;
  auto replica = postgres_server::replica_of(primary);
  execute_sql(primary.dsn(), "ALTER SYSTEM SET synchronous_standby_names = '*'");
  execute_sql(primary.dsn(), "SELECT pg_reload_conf()");
  REQUIRE(wait_until(
      [&] {
        return query_text(primary.dsn(), "SELECT sync_state FROM pg_stat_replication LIMIT 1") ==
               "sync";
      },
      30s));
  execute_sql(primary.dsn(), "CREATE DATABASE vgls");
  // Both servers, the writable one wins: what operators write for a primary and its replica.
  const std::string dsn = "host=127.0.0.1,127.0.0.1 port=" + std::to_string(primary.port()) + "," +
                          std::to_string(replica.port()) +
                          " user=postgres dbname=vgls target_session_attrs=read-write";

  ha_cluster cluster(dsn, 2);
  auto active = cluster.wait_for_active(10s);
  REQUIRE(active == 0u);
  REQUIRE(create_pool(*cluster.node(0).admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", 100000}, {"kind", "perpetual"}})
              .status == 201);

  checkout_load load(cluster.urls(), 2);
  REQUIRE(wait_until([&] { return load.granted() >= 100; }, 30s));
  primary.halt();
  // No writable server: the nodes answer 503 and keep trying.
  REQUIRE(wait_until([&] { return cluster.active_count() == 0; }, 30s));
  const auto granted_while_down = load.granted();
  replica.promote();
  active = cluster.wait_for_active(60s);
  REQUIRE(active.has_value());
  REQUIRE(wait_until([&] { return load.granted() >= granted_while_down + 100; }, 30s));
  load.stop();

  auto& serving = cluster.node(*active);
  CHECK(serving.running());
  const auto ledger = check_ledger(serving.url(), load);
  CHECK(ledger.not_renewed == 0);
  CHECK(ledger.came_back == 0);
  // The log says what happened and that it reconnected.
  CHECK_THAT(cluster.node(0).log() + cluster.node(1).log(), Catch::Contains("license database"));
}
