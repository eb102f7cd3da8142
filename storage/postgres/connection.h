// One libpq connection, in non-blocking mode, and the two ways vgls talks through it: a pipeline
// (every statement of a batch sent at once, one round trip, results read as they come) and a
// single statement. Every wait polls the connection's socket with a deadline, so a silent server
// can never hold the store's thread longer than that. Nobody outside storage/postgres includes
// <libpq-fe.h>; this header only forward-declares its handles.
//
// Errors: `pg_error` (the server's or libpq's message); `lost()` tells whether the connection
// itself is gone, as opposed to a statement failing on a live connection.
//
// Thread-safety: none. A connection belongs to one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace vgls::storage::postgres {

class pg_error : public std::runtime_error {
 public:
  explicit pg_error(const std::string& what, std::string sqlstate = {})
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  // The five-character SQLSTATE, empty when the error did not come from the server.
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// One statement's parameters, in text form; nullopt is SQL NULL.
using params = std::vector<std::optional<std::string>>;

// The rows of one statement, as text.
class rows {
 public:
  rows() = default;
  explicit rows(pg_result* result);
  rows(rows&&) noexcept = default;
  rows& operator=(rows&&) noexcept = default;

  int count() const;
  bool is_null(int row, int column) const;
  std::string_view text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::optional<std::int64_t> optional_int64(int row, int column) const;
  // Rows a command changed (DELETE, UPDATE, INSERT), from its command tag.
  std::int64_t affected() const;

 private:
  struct clearer {
    void operator()(pg_result* result) const;
  };
  std::unique_ptr<pg_result, clearer> result_;
};

struct connect_settings {
  std::string dsn;
  std::string application_name = "vglsd";
  std::chrono::milliseconds timeout{10000};
  // Keepalives and tcp_user_timeout are set from it, so a silent host ends the session in about
  // this long.
  std::chrono::milliseconds session_timeout{10000};
};

class connection {
 public:
  // Connects, waiting at most settings.timeout. Throws pg_error naming the server (host, port,
  // database) and the cause: refused, no such host, wrong password, no such database, ...
  explicit connection(const connect_settings& settings);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // A statement to run in a pipeline: SQL text or the name of a prepared statement.
  struct statement {
    std::string sql;       // used when `prepared` is empty
    std::string prepared;  // the name given to `prepare`
    postgres::params values;
  };

  // Prepares `sql` under `name` on this connection (once, after connecting).
  void prepare(const std::string& name, const std::string& sql);
  // Runs one statement (or, without parameters, a script of several), waiting at most `timeout`.
  // Returns the last statement's rows.
  rows exec(const std::string& sql, const params& values = {},
            std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Runs the statements in one pipeline: all are sent, then a sync, then every result is read.
  // On the first failing statement the server skips the rest; this throws its error after the
  // sync is read. Waits at most `timeout` in all.
  std::vector<rows> pipeline(const std::vector<statement>& statements,
                             std::chrono::milliseconds timeout);

  // True once the connection is broken (the server went away, or a wait timed out).
  bool lost() const;
  // "host:port/database", for logs.
  std::string where() const;
  std::string server_version() const;

 private:
  void wait_for(bool writing, std::chrono::steady_clock::time_point deadline);
  void flush(std::chrono::steady_clock::time_point deadline);
  pg_result* next_result(std::chrono::steady_clock::time_point deadline);
  [[noreturn]] void fail(const std::string& doing, pg_result* result = nullptr);

  struct finisher {
    void operator()(pg_conn* conn) const;
  };
  std::unique_ptr<pg_conn, finisher> conn_;
  bool broken_ = false;
};

// A text-format array literal for `unnest($1::bigint[])` and the like.
class array_literal {
 public:
  void add(std::int64_t value);
  void add(std::optional<std::int64_t> value);
  void add(std::string_view text);
  void add(std::optional<std::string_view> text);
  std::string take();
  bool empty() const { return count_ == 0; }

 private:
  void separate();
  std::string text_ = "{";
  std::size_t count_ = 0;
};

}  // namespace vgls::storage::postgres
