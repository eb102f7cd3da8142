// vglsd's log under journald (SPEC §13): priority prefixes, refused checkouts as warnings with
// their count, admin changes as notices naming the actor, a clock turned back as an error. (A
// node's role change, a warning, needs PostgreSQL: tests/ha/takeover_test.cpp.)
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "protocol/time.h"
#include "tests/server/e2e_steps.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using nlohmann::json;

namespace {

std::vector<std::string> lines_with(const std::string& log, const std::string& part) {
  std::vector<std::string> found;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find(part) != std::string::npos)
      found.push_back(line);
  }
  return found;
}

// Sets the highest time the stopped `server` has seen (the stored clock high-water mark), as if
// its clock had once been at `at`.
void set_stored_high_water(const vglsd_process& server, vgls::protocol::unix_seconds at) {
  const std::string update =
      "UPDATE meta SET value = '" + std::to_string(at) + "' WHERE key = 'clock_high_water'";
  if (server.backend() == test_backend::postgres) {
    execute_sql(server.postgres_dsn(), update);
    REQUIRE(query_text(server.postgres_dsn(),
                       "SELECT value FROM meta WHERE key = 'clock_high_water'") ==
            std::to_string(at));
    return;
  }
  sqlite3* db = nullptr;
  const auto file = (server.data_dir() / "vgls.db").string();
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, update.c_str(), nullptr, nullptr, &error);
  const int changed = sqlite3_changes(db);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  INFO(message);
  REQUIRE(rc == SQLITE_OK);
  REQUIRE(changed == 1);
}

}  // namespace

TEST_CASE("under journald, refusals are counted warnings and admin changes name their actor",
          "[e2e][log]") {
  auto options = configured(no_trial());
  options.env["JOURNAL_STREAM"] = "1:1";
  vglsd_process server(std::move(options));
  auto admin = server.admin_client();
  auto c = server.client();
  REQUIRE(
      create_pool(*admin,
                  json{{"id", "design"}, {"edition", "vWS"}, {"seats", 1}, {"kind", "perpetual"}})
          .status == 201);
  REQUIRE(checkout(*c, "vm-1", "vWS").status == 201);
  for (const auto* vm : {"vm-2", "vm-3", "vm-4"}) {
    auto refused = checkout(*c, vm, "vWS");
    REQUIRE(refused.status == 409);
    CHECK(error_code_of(refused) == "no_seat_available");
  }
  REQUIRE(error_code_of(checkout(*c, "vm-5", "vApp")) == "no_pool_for_edition");
  REQUIRE(call_json(*admin, "PATCH", "/v1/pools/design", json{{"seats", 4}}).status == 200);
  server.terminate();
  const std::string log = server.log();

  // Every line carries a priority.
  for (const auto& line : lines_with(log, "]")) {
    INFO(line);
    CHECK(line.size() > 3);
    CHECK(line[0] == '<');
    CHECK(line[2] == '>');
  }
  // Three vWS refusals within the minute: one line, for the first.
  // Refusals are the engine's to report (storage/engine/operator_notices.h): three vWS refusals
  // within the minute make one line, for the first, with its count.
  const auto vws = lines_with(log, "checkout for vWS refused");
  REQUIRE(vws.size() == 1);
  CHECK(vws[0].starts_with("<4>[warning] 1 checkout for vWS refused with no_seat_available"));
  const auto vapp = lines_with(log, "checkout for vApp refused");
  REQUIRE(vapp.size() == 1);
  CHECK(vapp[0].starts_with("<4>[warning] 1 checkout for vApp refused with no_pool_for_edition"));

  const auto added = lines_with(log, "pool design added");
  REQUIRE(added.size() == 1);
  CHECK(added[0] == "<5>[notice] pool design added by admin: 1 seats of vWS");
  const auto changed = lines_with(log, "pool design changed");
  REQUIRE(changed.size() == 1);
  CHECK(changed[0] == "<5>[notice] pool design changed by admin: now 4 seats of vWS");
}

TEST_CASE("under journald, a clock turned back is an error, said once", "[e2e][log]") {
  auto options = configured(no_trial());
  options.env["JOURNAL_STREAM"] = "1:1";
  vglsd_process server(std::move(options));
  REQUIRE(server.terminate() == 0);
  // The clock was once ten days ahead: now it is ten days behind what the server has seen.
  set_stored_high_water(server,
                        vgls::protocol::system_now() + 10 * vgls::protocol::seconds_per_day);
  server.start();
  auto facts = call_json(*server.admin_client(), "GET", "/v1/server");
  REQUIRE(facts.status == 200);
  CHECK(facts.body["clock_rollback"] == true);
  CHECK(call(*server.client(), "GET", "/metrics").body.find("\nvgls_clock_rollback 1\n") !=
        std::string::npos);
  // Requests after the first notice do not repeat it.
  REQUIRE(create_pool(*server.admin_client(),
                      json{{"id", "p"}, {"edition", "vWS"}, {"seats", 1}, {"kind", "perpetual"}})
              .status == 201);
  REQUIRE(checkout(*server.client(), "vm-1", "vWS").status == 201);
  REQUIRE(server.terminate() == 0);

  const auto rollback = lines_with(server.log(), "behind the latest time");
  REQUIRE(rollback.size() == 1);
  CHECK(rollback[0].starts_with("<3>[error] the system clock ("));
  CHECK(rollback[0].find("Fix the clock") != std::string::npos);
}
