// The prepared statements of the store's hot paths, prepared once after migration. Private to
// storage/; owned by the store's thread.
#pragma once

#include "storage/sqlite/database.h"
#include "storage/sqlite_store_impl.h"

namespace vgls::storage {

struct sqlite_store::statements {
  explicit statements(sqlite::database& db)
      : begin(db.prepare("BEGIN IMMEDIATE")),
        commit(db.prepare("COMMIT")),
        rollback(db.prepare("ROLLBACK")),
        insert_lease(db.prepare(
            "INSERT INTO leases (id, client_id, pool_id, requested_edition, edition, issued_at, "
            "renewed_at, expires_at, hostname, vgpu_profile, labels, client_clock_skew) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")),
        renew_lease(
            db.prepare("UPDATE leases SET renewed_at = ?2, expires_at = ?3, "
                       "client_clock_skew = COALESCE(?4, client_clock_skew) WHERE seq = ?1")),
        refresh_lease(db.prepare(
            "UPDATE leases SET requested_edition = ?2, renewed_at = ?3, expires_at = ?4, "
            "hostname = ?5, vgpu_profile = ?6, labels = ?7, "
            "client_clock_skew = COALESCE(?8, client_clock_skew) WHERE seq = ?1")),
        delete_lease(db.prepare("DELETE FROM leases WHERE seq = ?1")),
        select_self_description(db.prepare(
            "SELECT hostname, vgpu_profile, labels, client_clock_skew FROM leases WHERE seq = ?1")),
        insert_ending(db.prepare("INSERT OR REPLACE INTO lease_endings (lease_id, pool_id, "
                                 "ended_at) VALUES (?1, ?2, ?3)")),
        select_ending(db.prepare("SELECT pool_id FROM lease_endings WHERE lease_id = ?1")),
        insert_event(db.prepare(
            "INSERT INTO events (at, type, pool_id, lease_id, client_id, edition, detail, id) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")),
        insert_pool(db.prepare(
            "INSERT INTO pools (id, edition, seats, kind, starts_at, expires_at, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")),
        update_pool(db.prepare(
            "UPDATE pools SET seats = ?2, starts_at = ?3, expires_at = ?4 WHERE id = ?1")),
        delete_pool(db.prepare("DELETE FROM pools WHERE id = ?1")),
        set_meta(db.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value")),
        get_meta(db.prepare("SELECT value FROM meta WHERE key = ?1")),
        add_usage_minute(db.prepare(upsert_usage("usage_minute"))),
        add_usage_hour(db.prepare(upsert_usage("usage_hour"))),
        add_usage_day(db.prepare(upsert_usage("usage_day"))) {}

  // The batch's transaction: prepared once instead of parsed for every batch.
  sqlite::statement begin;
  sqlite::statement commit;
  sqlite::statement rollback;
  sqlite::statement insert_lease;
  sqlite::statement renew_lease;
  sqlite::statement refresh_lease;
  sqlite::statement delete_lease;
  sqlite::statement select_self_description;
  sqlite::statement insert_ending;
  sqlite::statement select_ending;
  sqlite::statement insert_event;
  sqlite::statement insert_pool;
  sqlite::statement update_pool;
  sqlite::statement delete_pool;
  sqlite::statement set_meta;
  sqlite::statement get_meta;
  sqlite::statement add_usage_minute;
  sqlite::statement add_usage_hour;
  sqlite::statement add_usage_day;

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

}  // namespace vgls::storage
