// The prepared statements of a commit, prepared once after migration. Private to storage/sqlite;
// owned by the store's thread.
#pragma once

#include <string>
#include <string_view>

#include "storage/sqlite/database.h"

namespace vgls::storage::sqlite {

struct commit_statements {
  explicit commit_statements(database& db)
      : begin(db.prepare("BEGIN IMMEDIATE")),
        commit(db.prepare("COMMIT")),
        rollback(db.prepare("ROLLBACK")),
        insert_lease(db.prepare(
            "INSERT INTO leases (seq, id, client_id, pool_id, requested_edition, edition, "
            "issued_at, renewed_at, expires_at, hostname, vgpu_profile, labels, "
            "client_clock_skew) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")),
        update_lease(db.prepare(
            "UPDATE leases SET requested_edition = ?2, renewed_at = ?3, expires_at = ?4, "
            "hostname = ?5, vgpu_profile = ?6, labels = ?7, client_clock_skew = ?8 "
            "WHERE seq = ?1")),
        delete_lease(db.prepare("DELETE FROM leases WHERE seq = ?1")),
        insert_ending(db.prepare("INSERT OR REPLACE INTO lease_endings (lease_id, pool_id, "
                                 "ended_at) VALUES (?1, ?2, ?3)")),
        insert_event(db.prepare(
            "INSERT INTO events (id, at, type, pool_id, lease_id, client_id, edition, detail) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")),
        put_pool(db.prepare(
            "INSERT INTO pools (id, edition, seats, kind, starts_at, expires_at, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET "
            "edition = excluded.edition, seats = excluded.seats, kind = excluded.kind, "
            "starts_at = excluded.starts_at, expires_at = excluded.expires_at")),
        delete_pool(db.prepare("DELETE FROM pools WHERE id = ?1")),
        set_meta(db.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value")),
        add_usage_minute(db.prepare(upsert_usage("usage_minute"))),
        add_usage_hour(db.prepare(upsert_usage("usage_hour"))),
        add_usage_day(db.prepare(upsert_usage("usage_day"))),
        put_token(db.prepare(
            "INSERT INTO tokens (name, role, secret_sha256, created_at, last_used_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET role = excluded.role, "
            "secret_sha256 = excluded.secret_sha256, created_at = excluded.created_at, "
            "last_used_at = excluded.last_used_at")),
        delete_token(db.prepare("DELETE FROM tokens WHERE name = ?1")),
        put_key(db.prepare(
            "INSERT INTO signing_keys (kid, private_key, created_at, retired_at, published_until) "
            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (kid) DO UPDATE SET "
            "retired_at = excluded.retired_at, published_until = excluded.published_until")) {}

  // The batch's transaction: prepared once instead of parsed for every batch.
  statement begin;
  statement commit;
  statement rollback;
  statement insert_lease;
  statement update_lease;
  statement delete_lease;
  statement insert_ending;
  statement insert_event;
  statement put_pool;
  statement delete_pool;
  statement set_meta;
  statement add_usage_minute;
  statement add_usage_hour;
  statement add_usage_day;
  statement put_token;
  statement delete_token;
  statement put_key;

 private:
  // Merging upsert: a minute may be written twice (flushed at close, then continued after a
  // restart within the same minute), and hours and days accumulate minutes.
  static std::string upsert_usage(std::string_view table) {
    std::string sql = "INSERT INTO ";
    sql += table;
    sql +=
        " (start, edition, peak_used, seats, granted, denied) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (start, edition) DO UPDATE SET peak_used = max(peak_used, "
        "excluded.peak_used), "
        "seats = excluded.seats, granted = granted + excluded.granted, "
        "denied = denied + excluded.denied";
    return sql;
  }
};

}  // namespace vgls::storage::sqlite
