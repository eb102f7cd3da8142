#include "storage/postgres/schema.h"

#include <spdlog/spdlog.h>

#include <array>
#include <string>
#include <string_view>

namespace vgls::storage::postgres {

namespace {

// migrations[i] takes the schema from version i to version i + 1. Never edit a released step;
// append a new one. Times are Unix seconds (bigint), as the engine keeps them.
constexpr std::array<std::string_view, current_schema_version> migrations = {
    R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
CREATE TABLE pools (
  id         text PRIMARY KEY,
  edition    text NOT NULL,
  seats      bigint NOT NULL,
  kind       text NOT NULL,
  starts_at  bigint NOT NULL,
  expires_at bigint,
  created_at bigint NOT NULL
);
-- Active leases, and expired ones the sweeper has not removed yet, keyed by their issue order.
-- The engine looks leases up in memory, so the table needs no index but its key; the fill factor
-- leaves room on each page for renewals to be written in place (HOT updates).
CREATE TABLE leases (
  seq               bigint PRIMARY KEY,
  id                text NOT NULL,
  client_id         text NOT NULL,
  pool_id           text NOT NULL,
  requested_edition text NOT NULL,
  edition           text NOT NULL,
  issued_at         bigint NOT NULL,
  renewed_at        bigint NOT NULL,
  expires_at        bigint NOT NULL,
  hostname          text,
  vgpu_profile      text,
  labels            text NOT NULL DEFAULT '{}',
  client_clock_skew bigint
) WITH (fillfactor = 70);
CREATE TABLE lease_endings (
  lease_id text PRIMARY KEY,
  pool_id  text NOT NULL,
  ended_at bigint NOT NULL
);
CREATE TABLE events (
  id        bigint PRIMARY KEY,
  at        bigint NOT NULL,
  type      text NOT NULL,
  pool_id   text,
  lease_id  text,
  client_id text,
  edition   text,
  detail    text NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_type ON events (type, id);
CREATE TABLE usage_minute (
  start     bigint NOT NULL,
  edition   text NOT NULL,
  peak_used bigint NOT NULL,
  seats     bigint NOT NULL,
  granted   bigint NOT NULL,
  denied    bigint NOT NULL,
  PRIMARY KEY (start, edition)
);
CREATE TABLE usage_hour (LIKE usage_minute INCLUDING ALL);
CREATE TABLE usage_day (LIKE usage_minute INCLUDING ALL);
CREATE TABLE tokens (
  name          text PRIMARY KEY,
  role          text NOT NULL,
  secret_sha256 text NOT NULL,
  created_at    bigint NOT NULL,
  last_used_at  bigint
);
CREATE TABLE signing_keys (
  kid             text PRIMARY KEY,
  private_key     text NOT NULL,
  created_at      bigint NOT NULL,
  retired_at      bigint,
  published_until bigint
);
)sql",
};

int read_version(connection& db) {
  db.exec("CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL)");
  const rows found = db.exec("SELECT value FROM meta WHERE key = 'schema_version'");
  if (found.count() == 0) {
    return 0;
  }
  return static_cast<int>(found.int64(0, 0));
}

}  // namespace

void migrate(connection& db) {
  db.exec("BEGIN");
  try {
    db.exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(migration_lock_key)});
    const int version = read_version(db);
    if (version > current_schema_version) {
      throw pg_error("the database " + db.where() + " has vgls schema version " +
                     std::to_string(version) + ", newer than this vglsd understands (" +
                     std::to_string(current_schema_version) +
                     "); run a newer vglsd on every node, or restore a backup");
    }
    if (version > 0 && version < current_schema_version) {
      spdlog::info("upgrading the vgls schema in {} from version {} to {}", db.where(), version,
                   current_schema_version);
    }
    for (int step = version; step < current_schema_version; ++step) {
      db.exec(std::string(migrations[static_cast<std::size_t>(step)]));
    }
    if (version < current_schema_version) {
      db.exec(
          "INSERT INTO meta (key, value) VALUES ('schema_version', $1) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          {std::to_string(current_schema_version)});
    }
    db.exec("COMMIT");
  } catch (...) {
    if (!db.lost()) {
      try {
        db.exec("ROLLBACK");
      } catch (const pg_error&) {
        // The connection broke on the way: the server rolls back by itself.
      }
    }
    throw;
  }
}

bool is_empty_installation(connection& db) {
  const rows found = db.exec(
      "SELECT (SELECT count(*) FROM pools) + (SELECT count(*) FROM leases) + "
      "(SELECT count(*) FROM events) + (SELECT count(*) FROM meta WHERE key = 'first_start')");
  return found.int64(0, 0) == 0;
}

}  // namespace vgls::storage::postgres
