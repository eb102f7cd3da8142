#include "storage/import_sqlite.h"

#include <spdlog/spdlog.h>

#include <array>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "storage/postgres/connection.h"
#include "storage/postgres/postgres_persistence.h"
#include "storage/postgres/schema.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/sqlite_persistence.h"

namespace vgls::storage {

namespace {

// Rows per INSERT: big enough that a million leases take seconds, small enough for memory.
constexpr int copy_chunk = 5000;

struct column {
  std::string_view name;
  bool integer;  // bigint, else text
};

struct table_copy {
  std::string_view name;
  std::vector<column> columns;
  std::string_view where = "";  // rows to leave behind
};

// Both schemas hold these tables with the same columns (storage/sqlite/schema.cpp,
// storage/postgres/schema.cpp).
std::vector<table_copy> tables() {
  const std::vector<column> usage = {{"start", true}, {"edition", false}, {"peak_used", true},
                                     {"seats", true}, {"granted", true},  {"denied", true}};
  return {
      // The schema version is the target's own; which node is active is for the nodes to say.
      {"meta",
       {{"key", false}, {"value", false}},
       " WHERE key NOT IN ('schema_version', 'active_node')"},
      {"pools",
       {{"id", false},
        {"edition", false},
        {"seats", true},
        {"kind", false},
        {"starts_at", true},
        {"expires_at", true},
        {"created_at", true}}},
      {"leases",
       {{"seq", true},
        {"id", false},
        {"client_id", false},
        {"pool_id", false},
        {"requested_edition", false},
        {"edition", false},
        {"issued_at", true},
        {"renewed_at", true},
        {"expires_at", true},
        {"hostname", false},
        {"vgpu_profile", false},
        {"labels", false},
        {"client_clock_skew", true}}},
      {"lease_endings", {{"lease_id", false}, {"pool_id", false}, {"ended_at", true}}},
      {"events",
       {{"id", true},
        {"at", true},
        {"type", false},
        {"pool_id", false},
        {"lease_id", false},
        {"client_id", false},
        {"edition", false},
        {"detail", false}}},
      {"usage_minute", usage},
      {"usage_hour", usage},
      {"usage_day", usage},
      {"tokens",
       {{"name", false},
        {"role", false},
        {"secret_sha256", false},
        {"created_at", true},
        {"last_used_at", true}}},
      {"signing_keys",
       {{"kid", false},
        {"private_key", false},
        {"created_at", true},
        {"retired_at", true},
        {"published_until", true}}},
  };
}

std::int64_t copy_table(sqlite::database& from, postgres::connection& to, const table_copy& table) {
  std::string names;
  std::string arrays;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) {
      names += ", ";
      arrays += ", ";
    }
    names += table.columns[i].name;
    arrays += "$" + std::to_string(i + 1) + (table.columns[i].integer ? "::bigint[]" : "::text[]");
  }
  const std::string insert = "INSERT INTO " + std::string(table.name) + " (" + names +
                             ") SELECT * FROM unnest(" + arrays + ")";
  auto rows = from.prepare("SELECT " + names + " FROM " + std::string(table.name) +
                           std::string(table.where));
  std::vector<postgres::array_literal> columns(table.columns.size());
  std::int64_t copied = 0;
  int pending = 0;
  auto flush = [&] {
    if (pending == 0) {
      return;
    }
    postgres::params values;
    for (auto& c : columns) {
      values.emplace_back(c.take());
    }
    to.exec(insert, values, std::chrono::minutes(5));
    pending = 0;
  };
  while (rows.step()) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const int index = static_cast<int>(i);
      if (table.columns[i].integer) {
        columns[i].add(rows.optional_int64(index));
      } else {
        const auto text = rows.optional_text(index);
        columns[i].add(text ? std::optional<std::string_view>(*text) : std::nullopt);
      }
    }
    ++copied;
    if (++pending == copy_chunk) {
      flush();
    }
  }
  flush();
  return copied;
}

}  // namespace

protocol::result<import_summary> import_sqlite(const std::filesystem::path& sqlite_file,
                                               const postgres_options& target) {
  std::error_code missing;
  if (!std::filesystem::is_regular_file(sqlite_file, missing)) {
    return protocol::status::invalid(
        "--import-sqlite", sqlite_file.string() +
                               " is not a SQLite database file; give the vgls.db of the SQLite "
                               "installation's data directory");
  }
  // Opening migrates an older file to the current schema and takes its lock, so a vglsd still
  // serving from it makes the import refuse instead of copying a moving target.
  sqlite::sqlite_persistence source(sqlite_file);
  try {
    source.open();
  } catch (const std::exception& e) {
    return protocol::status::unavailable("cannot open " + sqlite_file.string() + ": " + e.what());
  }
  source.close();

  postgres::postgres_persistence destination(target);
  try {
    destination.open();
  } catch (const std::exception& e) {
    return protocol::status::unavailable(e.what());
  }
  postgres::connection& to = destination.session();
  import_summary summary;
  try {
    if (!postgres::is_empty_installation(to)) {
      return protocol::status::invalid(
          "--import-sqlite",
          "the PostgreSQL database " + to.where() +
              " already holds a vgls installation; import only into an empty database (create "
              "a new one, or drop this one's vgls tables if it is a failed earlier import)");
    }
    sqlite::database from(sqlite_file);
    to.exec("BEGIN");
    // No node may serve from the database while it fills.
    const auto locked = to.exec("SELECT pg_try_advisory_xact_lock($1)",
                                {std::to_string(postgres::writer_lock_key)});
    if (locked.count() != 1 || locked.text(0, 0) != "t") {
      to.exec("ROLLBACK");
      return protocol::status::unavailable("a vglsd node is running on " + to.where() +
                                           "; stop every node before the import");
    }
    for (const table_copy& table : tables()) {
      const auto copied = copy_table(from, to, table);
      spdlog::info("import: {} rows of {}", copied, table.name);
      if (table.name == "pools") {
        summary.pools = copied;
      } else if (table.name == "leases") {
        summary.leases = copied;
      } else if (table.name == "events") {
        summary.events = copied;
      } else if (table.name.starts_with("usage_")) {
        summary.usage_rows += copied;
      } else if (table.name == "tokens") {
        summary.tokens = copied;
      } else if (table.name == "signing_keys") {
        summary.signing_keys = copied;
      }
    }
    // Event ids only grow: the mark covers the newest id copied, even if retention deleted it.
    to.exec(
        "INSERT INTO meta (key, value) SELECT 'last_event_id', "
        "GREATEST(COALESCE((SELECT max(id) FROM events), 0), "
        "COALESCE((SELECT value::bigint FROM meta WHERE key = 'last_event_id'), 0))::text "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    to.exec("COMMIT");
  } catch (const std::exception& e) {
    if (!to.lost()) {
      try {
        to.exec("ROLLBACK");
      } catch (const std::exception&) {
      }
    }
    return protocol::status::unavailable(std::string("the import failed and changed nothing: ") +
                                         e.what());
  }
  destination.close();
  return summary;
}

}  // namespace vgls::storage
