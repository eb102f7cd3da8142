// Moving up: vglsd --import-sqlite copies a SQLite installation into an empty PostgreSQL database;
// the leases renew by their ids against the PostgreSQL node (SPEC §7).
#include <catch2/catch.hpp>

#include "tests/server/e2e_steps.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

run_result import_into(const std::string& dsn, const std::filesystem::path& sqlite_file) {
  temp_dir dir("vglsd-import");
  write_file(dir / "vglsd.toml",
             "[storage]\nbackend = \"postgres\"\npostgres_dsn = \"" + dsn + "\"\n");
  return run_program({VGLS_VGLSD_BIN, "--config", (dir / "vglsd.toml").string(), "--import-sqlite",
                      sqlite_file.string()},
                     60s);
}

std::int64_t newest_event_id(vgls::client::http_client& admin) {
  std::int64_t newest = 0;
  std::string after = "0";
  for (;;) {
    auto page = call_json(admin, "GET", "/v1/events?limit=1000&after=" + after);
    for (const auto& e : page.body["events"])
      newest = std::max(newest, e["id"].get<std::int64_t>());
    if (page.body["next"].is_null())
      return newest;
    after = std::to_string(page.body["next"].get<std::int64_t>());
  }
}

}  // namespace

TEST_CASE("a SQLite installation imported into PostgreSQL keeps its pools, leases and events",
          "[postgres][import]") {
  vglsd_options sqlite_options;
  sqlite_options.backend = test_backend::sqlite;
  vglsd_process old_server(sqlite_options);
  auto admin = old_server.admin_client();
  REQUIRE(
      create_pool(*admin, {{"id", "p"}, {"edition", "vWS"}, {"seats", 5}, {"kind", "perpetual"}})
          .status == 201);
  auto lease = checkout(*old_server.client(), "vm-1", "vWS");
  REQUIRE(lease.status == 201);
  const std::string lease_id = lease.body["lease"]["id"];
  const std::string lease_pool = lease.body["lease"]["pool_id"];
  const auto newest_before = newest_event_id(*admin);
  const auto pools_before = call_json(*admin, "GET", "/v1/pools").body["pools"];
  const auto trial_before = call_json(*admin, "GET", "/v1/pools/trial-vws").body["pool"];
  REQUIRE(trial_before.is_object());
  const auto sqlite_file = old_server.data_dir() / "vgls.db";

  fresh_postgres_database database;
  // While the SQLite node serves, the import refuses to copy a moving target.
  auto refused = import_into(database.dsn(), sqlite_file);
  CHECK(refused.exit_status != 0);
  REQUIRE(old_server.terminate() == 0);

  auto imported = import_into(database.dsn(), sqlite_file);
  INFO(imported.output);
  REQUIRE(imported.exit_status == 0);
  CHECK_THAT(imported.output, Catch::Contains(std::to_string(pools_before.size()) + " pools") &&
                                  Catch::Contains("1 leases"));

  vglsd_options pg_options;
  pg_options.backend = test_backend::postgres;
  pg_options.postgres_dsn = database.dsn();
  vglsd_process new_server(pg_options);
  auto new_admin = new_server.admin_client();
  CHECK(used_of(*new_admin, lease_pool) == 1);
  // The trial is the installation's: not made again, its end unchanged.
  CHECK(call_json(*new_admin, "GET", "/v1/pools").body["pools"].size() == pools_before.size());
  CHECK(call_json(*new_admin, "GET", "/v1/pools/trial-vws").body["pool"]["expires_at"] ==
        trial_before["expires_at"]);
  auto renewed = call_json(*new_server.client(), "POST", "/v1/leases/" + lease_id + "/renew");
  CHECK(renewed.status == 200);
  CHECK(renewed.body["lease"]["client_id"] == "vm-1");
  // Event ids go on from the SQLite installation's.
  CHECK(newest_event_id(*new_admin) > newest_before);
  auto first_events = call_json(*new_admin, "GET", "/v1/events?limit=1");
  CHECK(first_events.body["events"][0]["id"].get<std::int64_t>() <= newest_before);

  // A second import into the now non-empty database refuses and changes nothing.
  REQUIRE(new_server.terminate() == 0);
  auto again = import_into(database.dsn(), sqlite_file);
  CHECK(again.exit_status != 0);
  CHECK_THAT(again.output, Catch::Contains("already holds a vgls installation"));
  new_server.start();
  CHECK(used_of(*new_server.admin_client(), lease_pool) == 1);
}
