// RAII wrappers for one SQLite connection and its prepared statements. Nobody outside storage/
// includes <sqlite3.h>; this header only forward-declares its handles.
//
// Errors: every failing call throws `sqlite_error` (the SQLite message and result code). The
// exception never leaves storage/: the store's thread catches it, rolls back and answers
// `unavailable`.
//
// Thread-safety: none. A connection and its statements belong to one thread (the store's).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace vgls::storage::sqlite {

class sqlite_error : public std::runtime_error {
 public:
  sqlite_error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

class statement;

class database {
 public:
  // Opens (creating if missing) the file at `path`. Throws sqlite_error.
  explicit database(const std::filesystem::path& path);
  database(database&&) noexcept = default;
  database& operator=(database&&) noexcept = default;

  // Runs one or more statements that return no rows.
  void exec(std::string_view sql);
  statement prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  // True when SQLite could open the file for reading only (it falls back to that, silently, when
  // the file or its file system refuses writes).
  bool read_only() const;

  sqlite3* handle() const { return db_.get(); }

 private:
  struct closer {
    void operator()(sqlite3* db) const;
  };
  std::unique_ptr<sqlite3, closer> db_;
};

// A prepared statement. Bind parameters by 1-based index, step, read columns by 0-based index;
// `reset()` readies it for the next use (bindings are cleared too).
class statement {
 public:
  statement(sqlite3* db, std::string_view sql);

  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, double value);
  void bind(int index, std::string_view text);
  void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
  void bind(int index, const char* text) { bind(index, std::string_view(text)); }
  void bind(int index, std::nullopt_t);
  // Binds without copying: `text` must stay valid until the statement is reset (`run()`, or the
  // `step()` that returns false, resets it).
  void bind_static(int index, std::string_view text);
  void bind_static(int index, std::optional<std::string_view> text) {
    if (text) {
      bind_static(index, *text);
    } else {
      bind(index, std::nullopt);
    }
  }
  template <class T>
  void bind(int index, const std::optional<T>& value) {
    if (value) {
      bind(index, *value);
    } else {
      bind(index, std::nullopt);
    }
  }

  // Binds each argument in order from index 1.
  template <class... Args>
  statement& with(const Args&... args) {
    int index = 1;
    (bind(index++, args), ...);
    return *this;
  }

  // As `with`, but text is bound without copying: only for `with_static(...).run()`, one
  // full-expression in which every argument stays alive.
  template <class... Args>
  statement& with_static(const Args&... args) {
    int index = 1;
    (bind_no_copy(index++, args), ...);
    return *this;
  }

  // True when a row is ready; false when done (the statement then resets itself).
  bool step();
  // Steps to completion (for statements without rows) and resets.
  void run();
  void reset();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  struct finalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };
  [[noreturn]] void fail(int code, std::string_view doing) const;
  template <class T>
  void bind_no_copy(int index, const T& value) {
    bind(index, value);
  }
  void bind_no_copy(int index, std::string_view text) { bind_static(index, text); }
  void bind_no_copy(int index, const std::string& text) {
    bind_static(index, std::string_view(text));
  }
  void bind_no_copy(int index, const std::optional<std::string_view>& text) {
    bind_static(index, text);
  }
  void bind_no_copy(int index, const std::optional<std::string>& text) {
    if (text) {
      bind_static(index, std::string_view(*text));
    } else {
      bind(index, std::nullopt);
    }
  }

  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, finalizer> stmt_;
};

// A transaction that rolls back on destruction unless committed. For code paths outside the
// store's batch loop (migrations, start-up).
class transaction {
 public:
  explicit transaction(database& db, std::string_view begin = "BEGIN IMMEDIATE");
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  void commit();

 private:
  database& db_;
  bool done_ = false;
};

}  // namespace vgls::storage::sqlite
