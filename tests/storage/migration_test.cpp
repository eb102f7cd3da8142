// Databases left by an older vgls open with everything kept, and event ids keep only growing.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "storage/sqlite/database.h"
#include "storage/sqlite/schema.h"
#include "tests/storage/store_fixture.h"

using namespace vgls;
using namespace vgls::storage;
using namespace vgls::storage::testing;
using protocol::edition;

namespace {

const std::string old_lease_id = "lse_AAAAAAAAAAAAAAAAAAAAAA";

// Replaces the store's file with a schema-version-1 database holding one pool, one lease, and
// no events, although AUTOINCREMENT has handed out event ids up to 501.
void write_version_1_database(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
  sqlite::database db(path);
  sqlite::configure_connection(db);
  sqlite::migrate(db, 1);
  const std::string t = std::to_string(t0);
  db.exec(
      "INSERT INTO pools (id, edition, seats, kind, starts_at, expires_at, created_at) "
      "VALUES ('p', 'vWS', 5, 'perpetual', " +
      t + ", NULL, " + t + ")");
  db.exec(
      "INSERT INTO leases (id, client_id, pool_id, requested_edition, edition, issued_at, "
      "renewed_at, expires_at, hostname) VALUES ('" +
      old_lease_id + "', 'vm-old', 'p', 'vWS', 'vWS', " + t + ", " + t + ", " +
      std::to_string(t0 + 3600) + ", 'old-host')");
  db.exec("INSERT INTO events (id, at, type) VALUES (500, " + t + ", 'pool.created')");
  db.exec("INSERT INTO events (at, type) VALUES (" + t + ", 'lease.granted')");  // id 501
  db.exec("DELETE FROM events");  // as retention would; sqlite_sequence still says 501
}

std::string meta_value(const std::filesystem::path& path, const std::string& key) {
  sqlite::database db(path);
  auto query = db.prepare("SELECT value FROM meta WHERE key = ?1");
  query.with(key);
  std::string value;
  if (query.step()) {
    value = query.text(0);
    query.reset();
  }
  return value;
}

}  // namespace

TEST_CASE("a version 1 database is migrated with its leases, and event ids go on growing",
          "[storage][sqlite-only][migration]") {
  store_under_test s;
  s.close();
  write_version_1_database(s.path());
  s.reopen();

  CHECK(meta_value(s.path(), "schema_version") == std::to_string(sqlite::current_schema_version));
  auto lease = s.get_lease(old_lease_id);
  REQUIRE(lease);
  CHECK(lease->client_id == "vm-old");
  CHECK(lease->hostname == "old-host");
  CHECK(s.get_pool("p")->used == 1);

  // The only event now is this start's; its id is above every id the old table handed out.
  auto started = s.events_of_type("server.started");
  REQUIRE(started.size() == 1);
  CHECK(started[0].id == 502);

  // New leases come after the old one in issue order.
  REQUIRE(s.checkout("vm-new", edition::vws));
  protocol::lease_query query;
  auto page = s.list_leases(query);
  REQUIRE(page);
  REQUIRE(page->leases.size() == 2);
  CHECK(page->leases[0].id == old_lease_id);
  CHECK(page->leases[1].client_id == "vm-new");
}

TEST_CASE("event ids never go back, even after retention deleted the newest events",
          "[storage][sqlite-only][retention]") {
  store_under_test s;
  s.options().retention.events_days = 1;
  s.reopen();
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 5, std::nullopt)));
  REQUIRE(s.checkout("a", edition::vapp));
  const auto before = s.events_of_type("lease.granted");
  REQUIRE(before.size() == 1);
  const auto newest_before = before[0].id;

  s.clock().advance(2 * 86400);
  s.reopen();  // retention deletes every event older than a day: all but this start's
  for (int attempt = 0; attempt < 100 && !s.events_of_type("lease.granted").empty(); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(s.events_of_type("lease.granted").empty());
  // The mark survives the deleted rows, so even an empty table could not restart the ids.
  CHECK(std::stoll(meta_value(s.path(), "last_event_id")) > newest_before);

  s.close();
  {
    // The worst case: every event row is gone.
    sqlite::database db(s.path());
    db.exec("DELETE FROM events");
  }
  s.reopen();
  auto started = s.events_of_type("server.started");
  REQUIRE(started.size() == 1);
  CHECK(started[0].id > newest_before + 1);
}
