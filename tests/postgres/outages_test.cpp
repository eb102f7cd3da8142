// vglsd on PostgreSQL through faults: PostgreSQL restarted under load, vglsd killed under load.
#include <catch2/catch.hpp>

#include "tests/server/e2e_steps.h"
#include "tests/support/checkout_load.h"
#include "tests/support/ledger_checks.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

vglsd_options on_database(const std::string& dsn) {
  vglsd_options options;
  options.backend = test_backend::postgres;
  options.postgres_dsn = dsn;
  options.config_toml = no_trial();
  return options;
}

}  // namespace

TEST_CASE("PostgreSQL restarted under load: 503s, then service again without restarting vglsd",
          "[postgres][outage]") {
  postgres_server database_server;
  execute_sql(database_server.dsn(), "CREATE DATABASE vgls");
  vglsd_process server(on_database(database_server.dsn("vgls")));
  REQUIRE(create_pool(*server.admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", 400}, {"kind", "perpetual"}})
              .status == 201);
  checkout_load load({server.url()}, 2);
  REQUIRE(wait_until([&] { return load.granted() >= 50; }, 30s));

  database_server.halt();
  auto c = server.client();
  auto during = checkout(*c, "vm-during-outage", "vWS");
  CHECK(during.status == 503);
  CHECK(error_code_of(during) == "unavailable");
  CHECK(during.raw.header("Retry-After") != "");
  CHECK(call_json(*c, "GET", "/healthz").status == 503);
  database_server.resume();

  // The same process serves again once it has reconnected and reloaded.
  REQUIRE(wait_until([&] { return call_json(*c, "GET", "/healthz").status == 200; }, 60s));
  const auto granted_after = load.granted();
  REQUIRE(wait_until([&] { return load.granted() >= granted_after + 50; }, 30s));
  // Run the pool full: never over its seats.
  REQUIRE(wait_until([&] { return used_of(*server.admin_client(), "p") >= 400; }, 60s));
  load.stop();
  CHECK(server.running());
  check_held_and_seats(server, load, 400);
  // The log says what happened and that service is back: a failed commit ("license database
  // … answers again") or, when the session broke between batches, the loss and retaking of the
  // right to write.
  const auto log = server.log();
  CHECK_THAT(log,
             Catch::Contains("license database") || Catch::Contains("no longer the active node"));
  CHECK_THAT(log,
             Catch::Contains("answers again") || Catch::Contains("took over as the active node"));
}

TEST_CASE("kill -9 of vglsd on PostgreSQL under load loses no acknowledged lease",
          "[postgres][durability]") {
  fresh_postgres_database database;
  vglsd_process server(on_database(database.dsn()));
  REQUIRE(create_pool(*server.admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", 100000}, {"kind", "perpetual"}})
              .status == 201);
  checkout_load load({server.url()}, 3);
  for (int round = 0; round < 3; ++round) {
    const auto before = load.granted();
    REQUIRE(wait_until([&] { return load.granted() >= before + 100; }, 30s));
    server.kill9();
    server.start();
  }
  load.stop();
  check_held_and_seats(server, load, 100000);
}
