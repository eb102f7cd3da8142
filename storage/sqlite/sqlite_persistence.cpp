#include "storage/sqlite/sqlite_persistence.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "storage/sqlite/schema.h"
#include "storage/sqlite/sqlite_statements.h"

namespace vgls::storage::sqlite {

namespace {

protocol::labels parse_labels(const std::string& text) {
  protocol::labels labels;
  if (text.empty() || text == "{}") {
    return labels;  // the common case, without a parse
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

protocol::edition edition_of(const std::string& text,
                             protocol::edition fallback = protocol::edition::vapp) {
  return protocol::parse_edition(text).value_or(fallback);
}

// Why a database cannot be opened for writing, in terms an operator can act on; empty when
// nothing is visibly wrong with the file's or directory's permissions.
std::string diagnose_unwritable(const std::filesystem::path& path) {
  const auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  for (const auto& file : {path, std::filesystem::path(path.string() + "-wal"),
                           std::filesystem::path(path.string() + "-shm")}) {
    std::error_code ignored;
    if (std::filesystem::exists(file, ignored) && ::access(file.c_str(), R_OK | W_OK) != 0) {
      return "the file " + file.string() + " is not writable by this process (" +
             std::strerror(errno) +
             "); make it writable by the user vglsd runs as (chown/chmod), or check that its "
             "file system is not read-only or the file immutable (lsattr)";
    }
  }
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    return "the data directory " + directory.string() + " is not writable by this process (" +
           std::strerror(errno) + "); SQLite creates " + path.filename().string() +
           "-wal and -shm beside the database, "
           "so make the directory writable by the user vglsd runs as, or choose another with "
           "--data-dir";
  }
  return {};
}

}  // namespace

sqlite_persistence::sqlite_persistence(std::filesystem::path path) : path_(std::move(path)) {}

sqlite_persistence::~sqlite_persistence() {
  stop_checkpointer();
  sql_.reset();
  db_.reset();
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
  }
}

void sqlite_persistence::open() {
  const std::string lock_path = path_.string() + ".lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) {
    const std::string why = std::strerror(errno);
    const std::string diagnosis = diagnose_unwritable(path_);
    throw std::runtime_error(diagnosis.empty() ? "cannot create " + lock_path + ": " + why
                                               : diagnosis);
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    throw std::runtime_error(
        "another vglsd process is using " + path_.string() + " (it holds " + lock_path +
        "); stop it first (or, to run a second server, give it its own --data-dir)");
  }
  try {
    db_.emplace(path_);
    if (db_->read_only()) {
      const std::string diagnosis = diagnose_unwritable(path_);
      throw std::runtime_error(
          !diagnosis.empty()
              ? diagnosis
              : "the database " + path_.string() +
                    " opened only for reading; make it and its directory writable by the user "
                    "vglsd runs as, and check that the file system is not mounted read-only");
    }
    configure_connection(*db_);
    migrate(*db_);
    sql_ = std::make_unique<commit_statements>(*db_);
  } catch (const std::runtime_error& e) {
    sql_.reset();
    db_.reset();
    const std::string diagnosis = diagnose_unwritable(path_);
    throw std::runtime_error(diagnosis.empty() ? std::string(e.what()) : diagnosis);
  }
  checkpointer_ = std::thread([this] { run_checkpointer(); });
}

void sqlite_persistence::load(snapshot_sink& sink) {
  auto meta = db_->prepare("SELECT key, value FROM meta");
  while (meta.step()) {
    sink.meta(meta.text(0), meta.text(1));
  }
  auto pools =
      db_->prepare("SELECT id, edition, seats, kind, starts_at, expires_at FROM pools ORDER BY id");
  while (pools.step()) {
    protocol::pool pool;
    pool.id = pools.text(0);
    pool.edition = edition_of(pools.text(1));
    pool.seats = pools.int64(2);
    pool.kind =
        protocol::parse_pool_kind(pools.text(3)).value_or(protocol::pool_kind::subscription);
    pool.starts_at = pools.int64(4);
    pool.expires_at = pools.optional_int64(5);
    sink.pool(std::move(pool));
  }
  auto leases = db_->prepare(
      "SELECT seq, id, client_id, pool_id, requested_edition, edition, issued_at, renewed_at, "
      "expires_at, hostname, vgpu_profile, labels, client_clock_skew FROM leases ORDER BY seq");
  while (leases.step()) {
    lease_row row;
    row.seq = leases.int64(0);
    row.id = leases.text(1);
    row.client_id = leases.text(2);
    row.pool_id = leases.text(3);
    row.requested_edition = edition_of(leases.text(4));
    row.granted_edition = edition_of(leases.text(5), row.requested_edition);
    row.issued_at = leases.int64(6);
    row.renewed_at = leases.int64(7);
    row.expires_at = leases.int64(8);
    row.hostname = leases.optional_text(9);
    row.vgpu_profile = leases.optional_text(10);
    row.labels = parse_labels(leases.text(11));
    row.client_clock_skew = leases.optional_int64(12);
    sink.lease(std::move(row));
  }
  auto tokens =
      db_->prepare("SELECT name, role, secret_sha256, created_at, last_used_at FROM tokens");
  while (tokens.step()) {
    token_record token;
    token.name = tokens.text(0);
    token.role = protocol::parse_role(tokens.text(1)).value_or(protocol::role::viewer);
    token.secret_sha256_hex = tokens.text(2);
    token.created_at = tokens.int64(3);
    token.last_used_at = tokens.optional_int64(4);
    sink.token(std::move(token));
  }
  auto keys = db_->prepare(
      "SELECT kid, private_key, created_at, retired_at, published_until FROM signing_keys "
      "ORDER BY created_at, kid");
  while (keys.step()) {
    signing_key_record key;
    key.kid = keys.text(0);
    key.private_key_pem = keys.text(1);
    key.created_at = keys.int64(2);
    key.retired_at = keys.optional_int64(3);
    key.published_until = keys.optional_int64(4);
    sink.signing_key(std::move(key));
  }
  auto last_event = db_->prepare("SELECT COALESCE(max(id), 0) FROM events");
  if (last_event.step()) {
    sink.last_event_id(last_event.int64(0));
    last_event.reset();
  }
}

commit_result sqlite_persistence::commit(const changeset& changes) {
  commit_result result;
  sql_->begin.run();
  try {
    write(changes, result);
    sql_->commit.run();
  } catch (...) {
    try {
      sql_->rollback.run();
    } catch (const std::exception&) {
      // SQLite may have rolled back already (e.g. after SQLITE_FULL); nothing else to undo.
    }
    throw;
  }
  return result;
}

void sqlite_persistence::write(const changeset& changes, commit_result& result) {
  commit_statements& sql = *sql_;
  for (const std::int64_t seq : changes.deleted_lease_seqs()) {
    sql.delete_lease.with(seq).run();
  }
  // Every text outlives its `run()`, which resets the statement and clears its bindings.
  changes.for_each_lease_write([&](const lease_write& lease) {
    if (lease.inserted) {
      sql.insert_lease
          .with_static(lease.seq, lease.id, lease.client_id, lease.pool_id,
                       protocol::to_string(lease.requested_edition),
                       protocol::to_string(lease.granted_edition), lease.issued_at,
                       lease.renewed_at, lease.expires_at, lease.hostname, lease.vgpu_profile,
                       lease.labels_json, lease.client_clock_skew)
          .run();
    } else {
      sql.update_lease
          .with_static(lease.seq, protocol::to_string(lease.requested_edition), lease.renewed_at,
                       lease.expires_at, lease.hostname, lease.vgpu_profile, lease.labels_json,
                       lease.client_clock_skew)
          .run();
    }
  });
  changes.for_each_pool([&](const std::string& id, const std::optional<pool_write>& pool) {
    if (!pool) {
      sql.delete_pool.with(id).run();
      return;
    }
    const protocol::pool& p = *pool->pool;
    sql.put_pool
        .with(p.id, protocol::to_string(p.edition), p.seats, protocol::to_string(p.kind),
              p.starts_at, p.expires_at, pool->created_at)
        .run();
  });
  changes.for_each_event([&](const event_write& event) {
    auto& insert = sql.insert_event;
    insert.bind(1, event.id);
    insert.bind(2, event.at);
    insert.bind_static(3, event.type);
    insert.bind_static(4, event.pool_id);
    insert.bind_static(5, event.lease_id);
    insert.bind_static(6, event.client_id);
    insert.bind_static(7, event.edition
                              ? std::optional<std::string_view>(protocol::to_string(*event.edition))
                              : std::nullopt);
    insert.bind_static(8, event.detail_json);
    insert.run();
  });
  for (const auto& [key, value] : changes.meta()) {
    sql.set_meta.with(key, value).run();
  }
  for (const usage_row& row : changes.usage()) {
    statement& upsert = row.grain == usage_grain::minute ? sql.add_usage_minute
                        : row.grain == usage_grain::hour ? sql.add_usage_hour
                                                         : sql.add_usage_day;
    upsert
        .with(row.start, protocol::to_string(row.edition), row.peak_used, row.seats, row.granted,
              row.denied)
        .run();
  }
  for (const lease_ending_row& ending : changes.lease_endings()) {
    sql.insert_ending.with(ending.lease_id, ending.pool_id, ending.ended_at).run();
  }
  for (const auto& [name, token] : changes.tokens()) {
    if (!token) {
      sql.delete_token.with(name).run();
      continue;
    }
    sql.put_token
        .with(token->name, protocol::to_string(token->role), token->secret_sha256_hex,
              token->created_at, token->last_used_at)
        .run();
  }
  for (const signing_key_record& key : changes.signing_keys()) {
    sql.put_key
        .with(key.kid, key.private_key_pem, key.created_at, key.retired_at, key.published_until)
        .run();
  }
  if (changes.retention()) {
    result.retention_more = apply_retention(*changes.retention());
  }
}

bool sqlite_persistence::apply_retention(const retention_pass& pass) {
  auto delete_events = db_->prepare(
      "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?2) AND at < ?1");
  delete_events.with(pass.events_before, pass.max_events).run();
  const bool more_events = db_->changes() == pass.max_events;
  auto delete_endings = db_->prepare("DELETE FROM lease_endings WHERE ended_at < ?1");
  delete_endings.with(pass.events_before).run();
  for (const char* table : {"usage_minute", "usage_hour", "usage_day"}) {
    auto delete_usage = db_->prepare(std::string("DELETE FROM ") + table + " WHERE start < ?1");
    delete_usage.with(pass.usage_before).run();
  }
  return more_events;
}

std::optional<std::string> sqlite_persistence::find_lease_ending(std::string_view lease_id) {
  auto query = db_->prepare("SELECT pool_id FROM lease_endings WHERE lease_id = ?1");
  query.with(lease_id);
  if (!query.step()) {
    return std::nullopt;
  }
  std::string pool_id = query.text(0);
  query.reset();
  return pool_id;
}

// --- the reader

namespace {

class sqlite_reader final : public persistence_reader {
 public:
  explicit sqlite_reader(const std::filesystem::path& path) : db_(path) {
    db_.exec("PRAGMA busy_timeout = 5000");
  }

  std::vector<protocol::event> read_events(const protocol::event_query& query, int limit) override {
    std::string select =
        "SELECT id, at, type, pool_id, lease_id, client_id, edition, detail FROM events"
        " WHERE id > ?1";
    if (query.type) {
      select += " AND type = ?2";
    }
    select += " ORDER BY id LIMIT " + std::to_string(limit);
    auto rows = db_.prepare(select);
    rows.bind(1, query.after);
    if (query.type) {
      rows.bind(2, *query.type);
    }
    std::vector<protocol::event> events;
    while (rows.step()) {
      protocol::event event;
      event.id = rows.int64(0);
      event.at = rows.int64(1);
      event.type = rows.text(2);
      event.pool_id = rows.optional_text(3);
      event.lease_id = rows.optional_text(4);
      event.client_id = rows.optional_text(5);
      if (auto edition = rows.optional_text(6)) {
        event.edition = protocol::parse_edition(*edition);
      }
      event.detail = nlohmann::json::parse(rows.text(7), nullptr, false);
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
        " WHERE start >= ?1 AND start < ?2";
    if (edition) {
      select += " AND edition = ?3";
    }
    select += " ORDER BY start";
    auto rows = db_.prepare(select);
    rows.bind(1, from);
    rows.bind(2, to);
    if (edition) {
      rows.bind(3, protocol::to_string(*edition));
    }
    std::vector<usage_row> found;
    while (rows.step()) {
      const auto row_edition = protocol::parse_edition(rows.text(1));
      if (!row_edition) {
        continue;
      }
      found.push_back({.grain = grain,
                       .start = rows.int64(0),
                       .edition = *row_edition,
                       .peak_used = rows.int64(2),
                       .seats = rows.int64(3),
                       .granted = rows.int64(4),
                       .denied = rows.int64(5)});
    }
    return found;
  }

 private:
  database db_;
};

}  // namespace

std::unique_ptr<persistence_reader> sqlite_persistence::open_reader() {
  return std::make_unique<sqlite_reader>(path_);
}

// --- checkpoints and close

void sqlite_persistence::run_checkpointer() {
  std::optional<database> db;
  bool warned = false;
  std::unique_lock lock(checkpointer_mutex_);
  while (!checkpointer_wake_.wait_for(lock, std::chrono::milliseconds(250),
                                      [this] { return checkpointer_stop_; })) {
    lock.unlock();
    try {
      if (!db) {
        db.emplace(path_);
      }
      // PASSIVE never blocks the writer; whatever it cannot copy now is copied next time.
      db->exec("PRAGMA wal_checkpoint(PASSIVE)");
      warned = false;
    } catch (const std::exception& e) {
      if (!warned) {
        spdlog::warn(
            "background checkpoint of {} failed ({}); the writer checkpoints by itself meanwhile, "
            "retrying",
            path_.string(), e.what());
        warned = true;
      }
      db.reset();
    }
    lock.lock();
  }
}

void sqlite_persistence::stop_checkpointer() {
  {
    std::lock_guard lock(checkpointer_mutex_);
    checkpointer_stop_ = true;
  }
  checkpointer_wake_.notify_all();
  if (checkpointer_.joinable()) {
    checkpointer_.join();
  }
}

void sqlite_persistence::close() {
  stop_checkpointer();
  if (db_) {
    sql_.reset();
    try {
      db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const std::exception& e) {
      spdlog::warn("checkpoint at close of {} failed ({}); the WAL is replayed at next open",
                   path_.string(), e.what());
    }
    db_.reset();
  }
}

}  // namespace vgls::storage::sqlite
