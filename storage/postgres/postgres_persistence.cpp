#include "storage/postgres/postgres_persistence.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "storage/postgres/connection.h"
#include "storage/postgres/schema.h"

namespace vgls::storage::postgres {

namespace {

// Leases are loaded through a cursor, this many rows at a time, so that a million leases never
// sit in memory twice (as libpq's result and as the engine's index).
constexpr int load_chunk = 20000;

std::string text_of(std::int64_t value) {
  return std::to_string(value);
}

std::optional<std::string> text_of(const std::optional<std::int64_t>& value) {
  return value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt;
}

protocol::labels parse_labels(std::string_view text) {
  protocol::labels labels;
  if (text.empty() || text == "{}") {
    return labels;
  }
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_object()) {
    for (const auto& [key, value] : parsed.items()) {
      if (value.is_string()) {
        labels.emplace(key, value.get<std::string>());
      }
    }
  }
  return labels;
}

protocol::edition edition_of(std::string_view text,
                             protocol::edition fallback = protocol::edition::vapp) {
  return protocol::parse_edition(text).value_or(fallback);
}

const char* usage_statement(usage_grain grain) {
  switch (grain) {
    case usage_grain::minute:
      return "vgls_add_usage_minute";
    case usage_grain::hour:
      return "vgls_add_usage_hour";
    case usage_grain::day:
      return "vgls_add_usage_day";
  }
  return "vgls_add_usage_minute";
}

std::string upsert_usage(std::string_view table) {
  std::string sql = "INSERT INTO ";
  sql += table;
  sql +=
      " (start, edition, peak_used, seats, granted, denied) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (start, edition) DO UPDATE SET peak_used = GREATEST(";
  sql += table;
  sql += ".peak_used, excluded.peak_used), seats = excluded.seats, granted = ";
  sql += table;
  sql += ".granted + excluded.granted, denied = ";
  sql += table;
  sql += ".denied + excluded.denied";
  return sql;
}

}  // namespace

postgres_persistence::postgres_persistence(postgres_options options)
    : options_(std::move(options)) {}

postgres_persistence::~postgres_persistence() = default;

std::string postgres_persistence::describe() const {
  return "PostgreSQL " + (where_.empty() ? std::string("(not connected)") : where_);
}

void postgres_persistence::connect() {
  holds_lock_ = false;
  conn_.reset();
  connect_settings settings;
  settings.dsn = options_.dsn;
  settings.timeout = options_.connect_timeout;
  settings.session_timeout = options_.session_timeout;
  settings.application_name =
      options_.advertise_url.empty() ? "vglsd" : "vglsd " + options_.advertise_url;
  conn_ = std::make_unique<connection>(settings);
  where_ = conn_->where();
  // A node that stops running (SIGSTOP, a frozen VM) keeps its TCP connection alive; these make
  // PostgreSQL end its session, and with it the lock, after storage.session_timeout.
  //
  // Every statement this session runs in a batch finds its rows by primary key. The planner may
  // still pick a sequential scan while a table looks tiny (a fresh installation, a small fleet),
  // and a prepared statement keeps that plan while churn leaves the table thousands of dead row
  // versions long until autovacuum comes by: each batch then reads all of them. Without sequential
  // scans the batch statements use their keys whatever the table's size (a query with no other
  // way, such as a retention pass over an unindexed column, still scans).
  const std::string timeout_ms = std::to_string(options_.session_timeout.count());
  conn_->exec(
      "SELECT set_config('idle_session_timeout', $1, false), "
      "set_config('idle_in_transaction_session_timeout', $1, false), "
      "set_config('enable_seqscan', 'off', false)",
      {timeout_ms});
}

void postgres_persistence::open() {
  connect();
  migrate(*conn_);
  prepare_statements();
  spdlog::info("connected to PostgreSQL {} (server {}), schema version {}", where_,
               conn_->server_version(), current_schema_version);
}

void postgres_persistence::prepare_statements() {
  connection& db = *conn_;
  db.prepare("vgls_delete_leases", "DELETE FROM leases WHERE seq = ANY($1::bigint[])");
  db.prepare("vgls_insert_leases",
             "INSERT INTO leases (seq, id, client_id, pool_id, requested_edition, edition, "
             "issued_at, renewed_at, expires_at, hostname, vgpu_profile, labels, "
             "client_clock_skew) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], "
             "$4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], "
             "$10::text[], $11::text[], $12::text[], $13::bigint[])");
  db.prepare("vgls_update_leases",
             "UPDATE leases AS l SET requested_edition = u.requested_edition, "
             "renewed_at = u.renewed_at, expires_at = u.expires_at, hostname = u.hostname, "
             "vgpu_profile = u.vgpu_profile, labels = u.labels, "
             "client_clock_skew = u.client_clock_skew "
             "FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], "
             "$6::text[], $7::text[], $8::bigint[]) AS u(seq, requested_edition, renewed_at, "
             "expires_at, hostname, vgpu_profile, labels, client_clock_skew) "
             "WHERE l.seq = u.seq");
  db.prepare("vgls_insert_events",
             "INSERT INTO events (id, at, type, pool_id, lease_id, client_id, edition, detail) "
             "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], "
             "$5::text[], $6::text[], $7::text[], $8::text[])");
  db.prepare("vgls_put_pool",
             "INSERT INTO pools (id, edition, seats, kind, starts_at, expires_at, created_at) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET "
             "edition = excluded.edition, seats = excluded.seats, kind = excluded.kind, "
             "starts_at = excluded.starts_at, expires_at = excluded.expires_at");
  db.prepare("vgls_delete_pool", "DELETE FROM pools WHERE id = $1");
  db.prepare("vgls_set_meta",
             "INSERT INTO meta (key, value) SELECT * FROM unnest($1::text[], $2::text[]) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  db.prepare("vgls_add_usage_minute", upsert_usage("usage_minute"));
  db.prepare("vgls_add_usage_hour", upsert_usage("usage_hour"));
  db.prepare("vgls_add_usage_day", upsert_usage("usage_day"));
  db.prepare("vgls_insert_endings",
             "INSERT INTO lease_endings (lease_id, pool_id, ended_at) SELECT * FROM "
             "unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT (lease_id) DO UPDATE SET "
             "pool_id = excluded.pool_id, ended_at = excluded.ended_at");
  db.prepare("vgls_put_token",
             "INSERT INTO tokens (name, role, secret_sha256, created_at, last_used_at) "
             "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET role = excluded.role, "
             "secret_sha256 = excluded.secret_sha256, created_at = excluded.created_at, "
             "last_used_at = excluded.last_used_at");
  db.prepare("vgls_delete_token", "DELETE FROM tokens WHERE name = $1");
  db.prepare("vgls_put_key",
             "INSERT INTO signing_keys (kid, private_key, created_at, retired_at, "
             "published_until) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kid) DO UPDATE SET "
             "retired_at = excluded.retired_at, published_until = excluded.published_until");
  db.prepare("vgls_retain_events",
             "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT $2) "
             "AND at < $1");
  db.prepare("vgls_retain_endings", "DELETE FROM lease_endings WHERE ended_at < $1");
  db.prepare("vgls_retain_usage",
             "WITH m AS (DELETE FROM usage_minute WHERE start < $1), "
             "h AS (DELETE FROM usage_hour WHERE start < $1) "
             "DELETE FROM usage_day WHERE start < $1");
}

writer_claim postgres_persistence::claim_writer() {
  writer_claim claim;
  try {
    if (!conn_ || conn_->lost()) {
      connect();
      migrate(*conn_);
      prepare_statements();
      if (warned_unreachable_) {
        spdlog::info("reconnected to PostgreSQL {}", where_);
      }
      warned_unreachable_ = false;
    }
    if (holds_lock_) {
      claim.result = writer_claim::outcome::writer;
      return claim;
    }
    const rows locked = conn_->exec("SELECT pg_try_advisory_lock($1)", {text_of(writer_lock_key)});
    if (locked.count() == 1 && locked.text(0, 0) == "t") {
      holds_lock_ = true;
      if (!options_.advertise_url.empty()) {
        conn_->exec(
            "INSERT INTO meta (key, value) VALUES ('active_node', $1) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {options_.advertise_url});
      }
      claim.result = writer_claim::outcome::writer;
      return claim;
    }
    claim.result = writer_claim::outcome::other_writer;
    const rows active = conn_->exec("SELECT value FROM meta WHERE key = 'active_node'");
    if (active.count() == 1) {
      claim.active_node = std::string(active.text(0, 0));
    }
    return claim;
  } catch (const std::exception& e) {
    holds_lock_ = false;
    claim.result = writer_claim::outcome::unreachable;
    claim.reason = e.what();
    warned_unreachable_ = true;
    return claim;
  }
}

bool postgres_persistence::still_writer() const {
  return holds_lock_ && conn_ && !conn_->lost();
}

void postgres_persistence::load(snapshot_sink& sink) {
  connection& db = *conn_;
  db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const rows meta = db.exec("SELECT key, value FROM meta");
    for (int i = 0; i < meta.count(); ++i) {
      sink.meta(std::string(meta.text(i, 0)), std::string(meta.text(i, 1)));
    }
    const rows pools =
        db.exec("SELECT id, edition, seats, kind, starts_at, expires_at FROM pools ORDER BY id");
    for (int i = 0; i < pools.count(); ++i) {
      protocol::pool pool;
      pool.id = std::string(pools.text(i, 0));
      pool.edition = edition_of(pools.text(i, 1));
      pool.seats = pools.int64(i, 2);
      pool.kind =
          protocol::parse_pool_kind(pools.text(i, 3)).value_or(protocol::pool_kind::subscription);
      pool.starts_at = pools.int64(i, 4);
      pool.expires_at = pools.optional_int64(i, 5);
      sink.pool(std::move(pool));
    }
    db.exec(
        "DECLARE vgls_leases NO SCROLL CURSOR FOR SELECT seq, id, client_id, pool_id, "
        "requested_edition, edition, issued_at, renewed_at, expires_at, hostname, vgpu_profile, "
        "labels, client_clock_skew FROM leases ORDER BY seq");
    for (;;) {
      const rows leases = db.exec("FETCH " + std::to_string(load_chunk) + " FROM vgls_leases", {},
                                  std::chrono::minutes(2));
      for (int i = 0; i < leases.count(); ++i) {
        lease_row row;
        row.seq = leases.int64(i, 0);
        row.id = std::string(leases.text(i, 1));
        row.client_id = std::string(leases.text(i, 2));
        row.pool_id = std::string(leases.text(i, 3));
        row.requested_edition = edition_of(leases.text(i, 4));
        row.granted_edition = edition_of(leases.text(i, 5), row.requested_edition);
        row.issued_at = leases.int64(i, 6);
        row.renewed_at = leases.int64(i, 7);
        row.expires_at = leases.int64(i, 8);
        row.hostname = leases.optional_text(i, 9);
        row.vgpu_profile = leases.optional_text(i, 10);
        row.labels = parse_labels(leases.text(i, 11));
        row.client_clock_skew = leases.optional_int64(i, 12);
        sink.lease(std::move(row));
      }
      if (leases.count() < load_chunk) {
        break;
      }
    }
    const rows tokens =
        db.exec("SELECT name, role, secret_sha256, created_at, last_used_at FROM tokens");
    for (int i = 0; i < tokens.count(); ++i) {
      token_record token;
      token.name = std::string(tokens.text(i, 0));
      token.role = protocol::parse_role(tokens.text(i, 1)).value_or(protocol::role::viewer);
      token.secret_sha256_hex = std::string(tokens.text(i, 2));
      token.created_at = tokens.int64(i, 3);
      token.last_used_at = tokens.optional_int64(i, 4);
      sink.token(std::move(token));
    }
    const rows keys = db.exec(
        "SELECT kid, private_key, created_at, retired_at, published_until FROM signing_keys "
        "ORDER BY created_at, kid");
    for (int i = 0; i < keys.count(); ++i) {
      signing_key_record key;
      key.kid = std::string(keys.text(i, 0));
      key.private_key_pem = std::string(keys.text(i, 1));
      key.created_at = keys.int64(i, 2);
      key.retired_at = keys.optional_int64(i, 3);
      key.published_until = keys.optional_int64(i, 4);
      sink.signing_key(std::move(key));
    }
    const rows last_event = db.exec("SELECT COALESCE(max(id), 0) FROM events");
    sink.last_event_id(last_event.int64(0, 0));
    db.exec("COMMIT");
  } catch (...) {
    if (!db.lost()) {
      try {
        db.exec("ROLLBACK");
      } catch (const pg_error&) {
      }
    }
    throw;
  }
}

commit_result postgres_persistence::commit(const changeset& changes) {
  std::vector<connection::statement> statements;
  statements.push_back({"BEGIN", {}, {}});
  auto prepared = [&](const char* name, params values) {
    statements.push_back({{}, name, std::move(values)});
  };

  if (!changes.deleted_lease_seqs().empty()) {
    array_literal seqs;
    for (const std::int64_t seq : changes.deleted_lease_seqs()) {
      seqs.add(seq);
    }
    prepared("vgls_delete_leases", {seqs.take()});
  }
  {
    // Inserts and updates, each kind one statement over arrays: one column array per column.
    std::array<array_literal, 13> insert;
    std::array<array_literal, 8> update;
    changes.for_each_lease_write([&](const lease_write& lease) {
      const auto requested = protocol::to_string(lease.requested_edition);
      if (lease.inserted) {
        insert[0].add(lease.seq);
        insert[1].add(lease.id);
        insert[2].add(lease.client_id);
        insert[3].add(lease.pool_id);
        insert[4].add(requested);
        insert[5].add(protocol::to_string(lease.granted_edition));
        insert[6].add(lease.issued_at);
        insert[7].add(lease.renewed_at);
        insert[8].add(lease.expires_at);
        insert[9].add(lease.hostname);
        insert[10].add(lease.vgpu_profile);
        insert[11].add(lease.labels_json);
        insert[12].add(lease.client_clock_skew);
      } else {
        update[0].add(lease.seq);
        update[1].add(requested);
        update[2].add(lease.renewed_at);
        update[3].add(lease.expires_at);
        update[4].add(lease.hostname);
        update[5].add(lease.vgpu_profile);
        update[6].add(lease.labels_json);
        update[7].add(lease.client_clock_skew);
      }
    });
    if (!insert[0].empty()) {
      params values;
      for (auto& column : insert) {
        values.emplace_back(column.take());
      }
      prepared("vgls_insert_leases", std::move(values));
    }
    if (!update[0].empty()) {
      params values;
      for (auto& column : update) {
        values.emplace_back(column.take());
      }
      prepared("vgls_update_leases", std::move(values));
    }
  }
  changes.for_each_pool([&](const std::string& id, const std::optional<pool_write>& pool) {
    if (!pool) {
      prepared("vgls_delete_pool", {id});
      return;
    }
    const protocol::pool& p = *pool->pool;
    prepared("vgls_put_pool", {p.id, std::string(protocol::to_string(p.edition)), text_of(p.seats),
                               std::string(protocol::to_string(p.kind)), text_of(p.starts_at),
                               text_of(p.expires_at), text_of(pool->created_at)});
  });
  if (changes.event_count() > 0) {
    std::array<array_literal, 8> events;
    changes.for_each_event([&](const event_write& event) {
      events[0].add(event.id);
      events[1].add(event.at);
      events[2].add(event.type);
      events[3].add(event.pool_id);
      events[4].add(event.lease_id);
      events[5].add(event.client_id);
      events[6].add(event.edition
                        ? std::optional<std::string_view>(protocol::to_string(*event.edition))
                        : std::nullopt);
      events[7].add(event.detail_json);
    });
    params values;
    for (auto& column : events) {
      values.emplace_back(column.take());
    }
    prepared("vgls_insert_events", std::move(values));
  }
  if (!changes.meta().empty()) {
    array_literal keys;
    array_literal values;
    for (const auto& [key, value] : changes.meta()) {
      keys.add(std::string_view(key));
      values.add(std::string_view(value));
    }
    prepared("vgls_set_meta", {keys.take(), values.take()});
  }
  for (const usage_row& row : changes.usage()) {
    prepared(
        usage_statement(row.grain),
        {text_of(row.start), std::string(protocol::to_string(row.edition)), text_of(row.peak_used),
         text_of(row.seats), text_of(row.granted), text_of(row.denied)});
  }
  if (!changes.lease_endings().empty()) {
    array_literal leases;
    array_literal pools;
    array_literal at;
    for (const lease_ending_row& ending : changes.lease_endings()) {
      leases.add(std::string_view(ending.lease_id));
      pools.add(std::string_view(ending.pool_id));
      at.add(ending.ended_at);
    }
    prepared("vgls_insert_endings", {leases.take(), pools.take(), at.take()});
  }
  for (const auto& [name, token] : changes.tokens()) {
    if (!token) {
      prepared("vgls_delete_token", {name});
      continue;
    }
    prepared("vgls_put_token",
             {token->name, std::string(protocol::to_string(token->role)), token->secret_sha256_hex,
              text_of(token->created_at), text_of(token->last_used_at)});
  }
  for (const signing_key_record& key : changes.signing_keys()) {
    prepared("vgls_put_key", {key.kid, key.private_key_pem, text_of(key.created_at),
                              text_of(key.retired_at), text_of(key.published_until)});
  }
  std::optional<std::size_t> retention_at;
  if (const auto& pass = changes.retention()) {
    retention_at = statements.size();
    prepared("vgls_retain_events", {text_of(pass->events_before), text_of(pass->max_events)});
    prepared("vgls_retain_endings", {text_of(pass->events_before)});
    prepared("vgls_retain_usage", {text_of(pass->usage_before)});
  }
  statements.push_back({"COMMIT", {}, {}});

  commit_result result;
  try {
    const std::vector<rows> done = conn_->pipeline(statements, commit_timeout());
    if (retention_at) {
      result.retention_more = done[*retention_at].affected() >= changes.retention()->max_events;
    }
  } catch (const pg_error&) {
    if (!conn_->lost()) {
      try {
        conn_->exec("ROLLBACK");
      } catch (const pg_error&) {
      }
    }
    throw;
  }
  return result;
}

std::chrono::milliseconds postgres_persistence::commit_timeout() const {
  return std::max<std::chrono::milliseconds>(std::chrono::seconds(15),
                                             2 * options_.session_timeout);
}

std::optional<std::string> postgres_persistence::find_lease_ending(std::string_view lease_id) {
  const rows found = conn_->exec("SELECT pool_id FROM lease_endings WHERE lease_id = $1",
                                 {std::string(lease_id)}, commit_timeout());
  if (found.count() == 0) {
    return std::nullopt;
  }
  return std::string(found.text(0, 0));
}

std::optional<protocol::unix_seconds> postgres_persistence::database_time() {
  if (!conn_ || conn_->lost()) {
    return std::nullopt;
  }
  try {
    const rows now = conn_->exec("SELECT floor(extract(epoch FROM clock_timestamp()))::bigint", {},
                                 commit_timeout());
    return now.int64(0, 0);
  } catch (const pg_error& e) {
    spdlog::warn("reading the database's clock from {} failed ({}); keeping the last reading",
                 where_, e.what());
    return std::nullopt;
  }
}

void postgres_persistence::keep_alive() {
  if (conn_ && !conn_->lost()) {
    conn_->exec("SELECT 1", {}, commit_timeout());
  }
}

std::chrono::milliseconds postgres_persistence::keep_alive_interval() const {
  return std::max<std::chrono::milliseconds>(std::chrono::milliseconds(200),
                                             options_.session_timeout / 3);
}

// --- the reader

namespace {

class postgres_reader final : public persistence_reader {
 public:
  explicit postgres_reader(const connect_settings& settings) : db_(settings) {}

  std::vector<protocol::event> read_events(const protocol::event_query& query, int limit) override {
    std::string select =
        "SELECT id, at, type, pool_id, lease_id, client_id, edition, detail FROM events "
        "WHERE id > $1";
    params values{std::to_string(query.after)};
    if (query.type) {
      select += " AND type = $2";
      values.emplace_back(*query.type);
    }
    select += " ORDER BY id LIMIT " + std::to_string(limit);
    const rows found = db_.exec(select, values);
    std::vector<protocol::event> events;
    events.reserve(static_cast<std::size_t>(found.count()));
    for (int i = 0; i < found.count(); ++i) {
      protocol::event event;
      event.id = found.int64(i, 0);
      event.at = found.int64(i, 1);
      event.type = std::string(found.text(i, 2));
      event.pool_id = found.optional_text(i, 3);
      event.lease_id = found.optional_text(i, 4);
      event.client_id = found.optional_text(i, 5);
      if (auto edition = found.optional_text(i, 6)) {
        event.edition = protocol::parse_edition(*edition);
      }
      event.detail = nlohmann::json::parse(found.text(i, 7), nullptr, false);
      if (event.detail.is_discarded()) {
        event.detail = nlohmann::json::object();
      }
      events.push_back(std::move(event));
    }
    return events;
  }

  std::vector<usage_row> read_usage(usage_grain grain, protocol::unix_seconds from,
                                    protocol::unix_seconds to,
                                    std::optional<protocol::edition> edition) override {
    const char* table = grain == usage_grain::day    ? "usage_day"
                        : grain == usage_grain::hour ? "usage_hour"
                                                     : "usage_minute";
    std::string select =
        std::string("SELECT start, edition, peak_used, seats, granted, denied FROM ") + table +
        " WHERE start >= $1 AND start < $2";
    params values{std::to_string(from), std::to_string(to)};
    if (edition) {
      select += " AND edition = $3";
      values.emplace_back(std::string(protocol::to_string(*edition)));
    }
    select += " ORDER BY start";
    const rows found = db_.exec(select, values);
    std::vector<usage_row> out;
    out.reserve(static_cast<std::size_t>(found.count()));
    for (int i = 0; i < found.count(); ++i) {
      const auto row_edition = protocol::parse_edition(found.text(i, 1));
      if (!row_edition) {
        continue;
      }
      out.push_back({.grain = grain,
                     .start = found.int64(i, 0),
                     .edition = *row_edition,
                     .peak_used = found.int64(i, 2),
                     .seats = found.int64(i, 3),
                     .granted = found.int64(i, 4),
                     .denied = found.int64(i, 5)});
    }
    return out;
  }

 private:
  connection db_;
};

}  // namespace

std::unique_ptr<persistence_reader> postgres_persistence::open_reader() {
  connect_settings settings;
  settings.dsn = options_.dsn;
  settings.timeout = options_.connect_timeout;
  settings.session_timeout = options_.session_timeout;
  settings.application_name = "vglsd reader";
  return std::make_unique<postgres_reader>(settings);
}

void postgres_persistence::close() {
  // Ending the session releases the lock at once, so a standby takes over without waiting for
  // a timeout.
  conn_.reset();
  holds_lock_ = false;
}

}  // namespace vgls::storage::postgres
