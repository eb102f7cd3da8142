#include "storage/sqlite/database.h"

#include <sqlite3.h>

#include <string>

#include "storage/sqlite/wal_write_coalescing_vfs.h"

namespace vgls::storage::sqlite {

namespace {

std::string message_of(sqlite3* db, int code, std::string_view doing) {
  std::string message(doing);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return message;
}

}  // namespace

void database::closer::operator()(sqlite3* db) const {
  sqlite3_close_v2(db);
}

database::database(const std::filesystem::path& path) {
  // SQLite's allocation statistics take a global mutex around every malloc and free; nothing
  // reads them. Only possible before SQLite initialises, so the first connection does it.
  static const bool memory_statistics_off = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  static_cast<void>(memory_statistics_off);
  sqlite3* raw = nullptr;
  // Registering the VFS initialises SQLite, so it comes after the configuration above.
  const int code = sqlite3_open_v2(path.c_str(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   wal_write_coalescing_vfs());
  db_.reset(raw);
  if (code != SQLITE_OK) {
    throw sqlite_error(code, message_of(raw, code, "cannot open " + path.string()));
  }
  sqlite3_extended_result_codes(raw, 1);
}

void database::exec(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int code = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(code);
    sqlite3_free(error);
    throw sqlite_error(code, message + " (in: " + text.substr(0, 80) + ")");
  }
}

statement database::prepare(std::string_view sql) {
  return statement(db_.get(), sql);
}

std::int64_t database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

bool database::read_only() const {
  return sqlite3_db_readonly(db_.get(), "main") == 1;
}

int database::changes() const {
  return sqlite3_changes(db_.get());
}

void statement::finalizer::operator()(sqlite3_stmt* stmt) const {
  sqlite3_finalize(stmt);
}

statement::statement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* raw = nullptr;
  const int code = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  stmt_.reset(raw);
  if (code != SQLITE_OK) {
    throw sqlite_error(code, message_of(db, code, "prepare " + std::string(sql.substr(0, 80))));
  }
}

void statement::fail(int code, std::string_view doing) const {
  throw sqlite_error(code, message_of(db_, code, doing));
}

void statement::bind(int index, std::int64_t value) {
  if (const int code = sqlite3_bind_int64(stmt_.get(), index, value); code != SQLITE_OK) {
    fail(code, "bind");
  }
}

void statement::bind(int index, double value) {
  if (const int code = sqlite3_bind_double(stmt_.get(), index, value); code != SQLITE_OK) {
    fail(code, "bind");
  }
}

void statement::bind(int index, std::string_view text) {
  if (const int code = sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(),
                                           SQLITE_TRANSIENT, SQLITE_UTF8);
      code != SQLITE_OK) {
    fail(code, "bind");
  }
}

void statement::bind_static(int index, std::string_view text) {
  if (const int code = sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(),
                                           SQLITE_STATIC, SQLITE_UTF8);
      code != SQLITE_OK) {
    fail(code, "bind");
  }
}

void statement::bind(int index, std::nullopt_t) {
  if (const int code = sqlite3_bind_null(stmt_.get(), index); code != SQLITE_OK) {
    fail(code, "bind");
  }
}

bool statement::step() {
  const int code = sqlite3_step(stmt_.get());
  if (code == SQLITE_ROW) {
    return true;
  }
  if (code == SQLITE_DONE) {
    reset();
    return false;
  }
  reset();
  fail(code, "step");
}

void statement::run() {
  while (step()) {
  }
}

void statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

bool statement::is_null(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

std::int64_t statement::int64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::string statement::text(int column) const {
  const auto* bytes = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  if (bytes == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

std::optional<std::int64_t> statement::optional_int64(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return int64(column);
}

std::optional<std::string> statement::optional_text(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return text(column);
}

transaction::transaction(database& db, std::string_view begin) : db_(db) {
  db_.exec(begin);
}

transaction::~transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (const sqlite_error&) {
      // Nothing more to do: SQLite rolls back on its own when a transaction cannot continue.
    }
  }
}

void transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace vgls::storage::sqlite
