#include "storage/sqlite/schema.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vgls::storage::sqlite {

namespace {

// migrations[i] takes the schema from version i to version i + 1. Never edit a released step;
// append a new one.
constexpr std::array<std::string_view, current_schema_version> migrations = {
    R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE pools (
  id         TEXT PRIMARY KEY,
  edition    TEXT NOT NULL,
  seats      INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  starts_at  INTEGER NOT NULL,
  expires_at INTEGER,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Active leases, and expired ones the sweeper has not removed yet. Released and revoked leases
-- are deleted in the transaction that ends them. Rows are keyed by `seq`, in issue order, so that
-- a checkout appends instead of writing into a random page; the random lease id is looked up in
-- the store's memory, never through SQL, so it needs no index.
CREATE TABLE leases (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  id                TEXT NOT NULL,
  client_id         TEXT NOT NULL,
  pool_id           TEXT NOT NULL,
  requested_edition TEXT NOT NULL,
  edition           TEXT NOT NULL,
  issued_at         INTEGER NOT NULL,
  renewed_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  hostname          TEXT,
  vgpu_profile      TEXT,
  labels            TEXT NOT NULL DEFAULT '{}',
  client_clock_skew INTEGER
);
-- For the admin listing's filters; (pool_id, seq) and (edition, seq) grow at their ends.
CREATE INDEX leases_by_pool ON leases (pool_id);
CREATE INDEX leases_by_edition ON leases (edition);
CREATE INDEX leases_by_hostname ON leases (hostname);

-- Leases that ended because their pool expired, so that a late renew can say license_expired
-- rather than lease_not_found after the sweeper removed the lease itself.
CREATE TABLE lease_endings (
  lease_id TEXT PRIMARY KEY,
  pool_id  TEXT NOT NULL,
  ended_at INTEGER NOT NULL
) WITHOUT ROWID;

-- AUTOINCREMENT: an event id only grows, even after retention deleted the newest rows' elders.
CREATE TABLE events (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  at        INTEGER NOT NULL,
  type      TEXT NOT NULL,
  pool_id   TEXT,
  lease_id  TEXT,
  client_id TEXT,
  edition   TEXT,
  detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_type ON events (type, id);

-- Usage at three grains; the hour and day rows are rolled up from minutes as minutes close.
CREATE TABLE usage_minute (
  start     INTEGER NOT NULL,
  edition   TEXT NOT NULL,
  peak_used INTEGER NOT NULL,
  seats     INTEGER NOT NULL,
  granted   INTEGER NOT NULL,
  denied    INTEGER NOT NULL,
  PRIMARY KEY (start, edition)
) WITHOUT ROWID;
CREATE TABLE usage_hour (
  start     INTEGER NOT NULL,
  edition   TEXT NOT NULL,
  peak_used INTEGER NOT NULL,
  seats     INTEGER NOT NULL,
  granted   INTEGER NOT NULL,
  denied    INTEGER NOT NULL,
  PRIMARY KEY (start, edition)
) WITHOUT ROWID;
CREATE TABLE usage_day (
  start     INTEGER NOT NULL,
  edition   TEXT NOT NULL,
  peak_used INTEGER NOT NULL,
  seats     INTEGER NOT NULL,
  granted   INTEGER NOT NULL,
  denied    INTEGER NOT NULL,
  PRIMARY KEY (start, edition)
) WITHOUT ROWID;
)sql",
    // Version 2: no AUTOINCREMENT, and no index on leases but the rowid. AUTOINCREMENT cost every
    // insert a read and a write of sqlite_sequence (and every commit that page); the lease indexes
    // (pool, edition, hostname) cost every checkout and release three more B-tree updates and
    // pages, for the admin's listing only, which the store now answers from memory. Lease seqs
    // still follow issue order, since a new row takes the largest seq plus one. Event ids must only
    // grow even when retention has deleted every event, so the store assigns them and keeps their
    // high-water mark in meta (`last_event_id`), starting from what sqlite_sequence held.
    R"sql(
CREATE TABLE leases_v2 (
  seq               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL,
  client_id         TEXT NOT NULL,
  pool_id           TEXT NOT NULL,
  requested_edition TEXT NOT NULL,
  edition           TEXT NOT NULL,
  issued_at         INTEGER NOT NULL,
  renewed_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  hostname          TEXT,
  vgpu_profile      TEXT,
  labels            TEXT NOT NULL DEFAULT '{}',
  client_clock_skew INTEGER
);
INSERT INTO leases_v2 (seq, id, client_id, pool_id, requested_edition, edition, issued_at,
                       renewed_at, expires_at, hostname, vgpu_profile, labels, client_clock_skew)
  SELECT seq, id, client_id, pool_id, requested_edition, edition, issued_at, renewed_at,
         expires_at, hostname, vgpu_profile, labels, client_clock_skew FROM leases;
DROP TABLE leases;
ALTER TABLE leases_v2 RENAME TO leases;

INSERT INTO meta (key, value)
  SELECT 'last_event_id',
         CAST(max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),
                  COALESCE((SELECT max(id) FROM events), 0)) AS TEXT)
  WHERE true
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
CREATE TABLE events_v2 (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  type      TEXT NOT NULL,
  pool_id   TEXT,
  lease_id  TEXT,
  client_id TEXT,
  edition   TEXT,
  detail    TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO events_v2 (id, at, type, pool_id, lease_id, client_id, edition, detail)
  SELECT id, at, type, pool_id, lease_id, client_id, edition, detail FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_by_type ON events (type, id);
)sql",
    // Version 3: access tokens (only the SHA-256 of each secret) and the signing keys of lease
    // tokens (SPEC §8, §9).
    R"sql(
CREATE TABLE tokens (
  name          TEXT PRIMARY KEY,
  role          TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
) WITHOUT ROWID;
CREATE TABLE signing_keys (
  kid             TEXT PRIMARY KEY,
  private_key     TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  retired_at      INTEGER,
  published_until INTEGER
) WITHOUT ROWID;
)sql",
};

int read_version(database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
  auto query = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  int version = 0;
  if (query.step()) {
    version = std::stoi(query.text(0));
    query.reset();
  }
  return version;
}

}  // namespace

void configure_connection(database& db) {
  // WAL lets readers of a future backend-agnostic tool read while we write; synchronous=FULL makes
  // every COMMIT durable across power loss, not only across a crash of this process.
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA foreign_keys = OFF");
  db.exec("PRAGMA temp_store = MEMORY");
  db.exec("PRAGMA cache_size = -65536");  // 64 MiB of page cache
  // A background connection checkpoints continuously; the writer's own checkpoint (after a commit,
  // when the WAL passed this many pages) then has little left to copy, and completes the WAL so
  // that it restarts from its beginning instead of growing.
  db.exec("PRAGMA wal_autocheckpoint = 8000");
}

void migrate(database& db) {
  migrate(db, current_schema_version);
}

void migrate(database& db, int target_version) {
  const int version = read_version(db);
  if (version > current_schema_version) {
    throw std::runtime_error("the database has schema version " + std::to_string(version) +
                             ", newer than this vgls understands (" +
                             std::to_string(current_schema_version) +
                             "); run a newer vgls or restore a backup");
  }
  const int last = std::min(target_version, current_schema_version);
  if (version > 0 && version < last) {
    spdlog::info("upgrading the license database from schema version {} to {}{}", version, last,
                 version < 2 ? "; this copies the leases and events tables once (seconds per "
                               "million rows) before the server answers"
                             : "");
  }
  for (int step = version; step < last; ++step) {
    transaction txn(db);
    db.exec(migrations[static_cast<std::size_t>(step)]);
    auto update = db.prepare(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    update.with(std::to_string(step + 1)).run();
    txn.commit();
  }
}

}  // namespace vgls::storage::sqlite
