#include "storage/postgres/connection.h"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace vgls::storage::postgres {

namespace {

using steady = std::chrono::steady_clock;

std::string trimmed(const char* text) {
  std::string out = text != nullptr ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) {
    out.pop_back();
  }
  // libpq indents its hints with a newline and a tab; one line reads better in a log.
  for (std::size_t at = out.find("\n\t"); at != std::string::npos; at = out.find("\n\t", at)) {
    out.replace(at, 2, " ");
  }
  for (char& c : out) {
    if (c == '\n') {
      c = ' ';
    }
  }
  return out;
}

std::string seconds_text(std::chrono::milliseconds ms, std::int64_t at_least = 1) {
  return std::to_string(std::max<std::int64_t>(at_least, (ms.count() + 999) / 1000));
}

}  // namespace

// --- rows

void rows::clearer::operator()(pg_result* result) const {
  PQclear(result);
}

rows::rows(pg_result* result) : result_(result) {}

int rows::count() const {
  return result_ ? PQntuples(result_.get()) : 0;
}

bool rows::is_null(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string_view rows::text(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column),
          static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::int64_t rows::int64(int row, int column) const {
  const auto value = text(row, column);
  std::int64_t out = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (error != std::errc() || end != value.data() + value.size()) {
    throw pg_error("not an integer in column " + std::to_string(column) + ": '" +
                   std::string(value) + "'");
  }
  return out;
}

std::optional<std::string> rows::optional_text(int row, int column) const {
  if (is_null(row, column)) {
    return std::nullopt;
  }
  return std::string(text(row, column));
}

std::optional<std::int64_t> rows::optional_int64(int row, int column) const {
  if (is_null(row, column)) {
    return std::nullopt;
  }
  return int64(row, column);
}

std::int64_t rows::affected() const {
  if (!result_) {
    return 0;
  }
  const char* tuples = PQcmdTuples(result_.get());
  std::int64_t out = 0;
  std::from_chars(tuples, tuples + std::strlen(tuples), out);
  return out;
}

// --- connection

void connection::finisher::operator()(pg_conn* conn) const {
  PQfinish(conn);
}

connection::connection(const connect_settings& settings) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(settings.dsn.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why = parse_error != nullptr ? trimmed(parse_error) : "out of memory";
    PQfreemem(parse_error);
    throw pg_error("storage.postgres_dsn is not a valid connection string or URI: " + why);
  }
  PQconninfoFree(parsed);

  const std::string connect_timeout = seconds_text(settings.timeout, 2);
  const auto session_seconds = std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::seconds>(settings.session_timeout).count());
  // Probes start after a third of the session timeout and three unanswered ones end it; the
  // kernel also gives up on unacknowledged data after tcp_user_timeout.
  const std::string keepalives_idle =
      std::to_string(std::max<std::int64_t>(1, session_seconds / 3));
  const std::string keepalives_interval =
      std::to_string(std::max<std::int64_t>(1, session_seconds / 6));
  const std::string tcp_user_timeout = std::to_string(settings.session_timeout.count());
  // Later entries override earlier ones, the expanded DSN included: the application name yields to
  // the DSN's, the timeouts follow storage.session_timeout.
  const char* keywords[] = {"application_name", "dbname",           "connect_timeout",
                            "keepalives",       "keepalives_idle",  "keepalives_interval",
                            "keepalives_count", "tcp_user_timeout", nullptr};
  const char* values[] = {settings.application_name.c_str(),
                          settings.dsn.c_str(),
                          connect_timeout.c_str(),
                          "1",
                          keepalives_idle.c_str(),
                          keepalives_interval.c_str(),
                          "3",
                          tcp_user_timeout.c_str(),
                          nullptr};
  conn_.reset(PQconnectStartParams(keywords, values, 1));
  if (!conn_) {
    throw pg_error("cannot connect to PostgreSQL: out of memory");
  }
  if (PQstatus(conn_.get()) == CONNECTION_BAD) {
    throw pg_error("cannot connect to PostgreSQL at " + where() + ": " +
                   trimmed(PQerrorMessage(conn_.get())));
  }
  const auto deadline = steady::now() + settings.timeout;
  for (;;) {
    const PostgresPollingStatusType state = PQconnectPoll(conn_.get());
    if (state == PGRES_POLLING_OK) {
      break;
    }
    if (state == PGRES_POLLING_FAILED) {
      throw pg_error("cannot connect to PostgreSQL at " + where() + ": " +
                     trimmed(PQerrorMessage(conn_.get())));
    }
    try {
      wait_for(state == PGRES_POLLING_WRITING, deadline);
    } catch (const pg_error&) {
      throw pg_error("cannot connect to PostgreSQL at " + where() + ": no answer within " +
                     seconds_text(settings.timeout) +
                     " s (storage.connect_timeout); check the host, the port and the firewall");
    }
  }
  if (PQsetnonblocking(conn_.get(), 1) != 0) {
    fail("switching to non-blocking mode");
  }
  // The server's notices ("relation already exists, skipping") are for a person at psql; vglsd's
  // log says what matters in its own words.
  PQsetNoticeProcessor(
      conn_.get(),
      [](void*, const char* message) { spdlog::debug("PostgreSQL: {}", trimmed(message)); },
      nullptr);
}

connection::~connection() = default;

std::string connection::where() const {
  if (!conn_) {
    return "(not connected)";
  }
  const char* host = PQhost(conn_.get());
  const char* port = PQport(conn_.get());
  const char* db = PQdb(conn_.get());
  std::string out = host != nullptr && *host != '\0' ? host : "localhost";
  if (port != nullptr && *port != '\0') {
    out += ":";
    out += port;
  }
  out += "/";
  out += db != nullptr ? db : "";
  return out;
}

std::string connection::server_version() const {
  const int version = PQserverVersion(conn_.get());
  return std::to_string(version / 10000) + "." + std::to_string(version % 10000);
}

bool connection::lost() const {
  return broken_ || !conn_ || PQstatus(conn_.get()) == CONNECTION_BAD;
}

void connection::wait_for(bool writing, steady::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
    if (left.count() <= 0) {
      broken_ = true;
      throw pg_error("PostgreSQL at " + where() +
                     " did not answer in time; the connection is "
                     "given up");
    }
    pollfd fd{};
    fd.fd = PQsocket(conn_.get());
    if (fd.fd < 0) {
      broken_ = true;
      throw pg_error("the connection to PostgreSQL at " + where() + " is closed");
    }
    fd.events = static_cast<short>(POLLIN | (writing ? POLLOUT : 0));
    const int ready = ::poll(&fd, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 60000)));
    if (ready > 0) {
      return;
    }
    if (ready < 0 && errno != EINTR) {
      broken_ = true;
      throw pg_error(std::string("poll on the PostgreSQL connection failed: ") +
                     std::strerror(errno));
    }
  }
}

void connection::flush(steady::time_point deadline) {
  for (;;) {
    const int pending = PQflush(conn_.get());
    if (pending == 0) {
      return;
    }
    if (pending < 0) {
      fail("sending to the server");
    }
    wait_for(true, deadline);
    // The server may be sending results while we still write: read them so it never stalls.
    if (PQconsumeInput(conn_.get()) == 0) {
      fail("reading from the server");
    }
  }
}

pg_result* connection::next_result(steady::time_point deadline) {
  while (PQisBusy(conn_.get()) != 0) {
    wait_for(false, deadline);
    if (PQconsumeInput(conn_.get()) == 0) {
      fail("reading from the server");
    }
  }
  return PQgetResult(conn_.get());
}

void connection::fail(const std::string& doing, pg_result* result) {
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    sqlstate = state != nullptr ? state : "";
    message = trimmed(PQresultErrorMessage(result));
    PQclear(result);
  }
  if (message.empty()) {
    message = trimmed(PQerrorMessage(conn_.get()));
  }
  if (PQstatus(conn_.get()) == CONNECTION_BAD) {
    broken_ = true;
  }
  throw pg_error("PostgreSQL at " + where() + ", " + doing + ": " + message, sqlstate);
}

void connection::prepare(const std::string& name, const std::string& sql) {
  const auto deadline = steady::now() + std::chrono::seconds(30);
  if (PQsendPrepare(conn_.get(), name.c_str(), sql.c_str(), 0, nullptr) == 0) {
    fail("preparing " + name);
  }
  flush(deadline);
  bool failed = false;
  pg_result* first_error = nullptr;
  try {
    while (pg_result* result = next_result(deadline)) {
      if (PQresultStatus(result) != PGRES_COMMAND_OK && !failed) {
        failed = true;
        first_error = result;
        continue;
      }
      PQclear(result);
    }
  } catch (...) {
    PQclear(first_error);  // the connection failed after the error's result had come
    throw;
  }
  if (failed) {
    fail("preparing " + name, first_error);
  }
}

namespace {

// Pointers into `values` for libpq, valid while `values` is.
std::vector<const char*> pointers_of(const params& values) {
  std::vector<const char*> out;
  out.reserve(values.size());
  for (const auto& value : values) {
    out.push_back(value ? value->c_str() : nullptr);
  }
  return out;
}

}  // namespace

rows connection::exec(const std::string& sql, const params& values,
                      std::chrono::milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  const auto pointers = pointers_of(values);
  // Without parameters, the simple protocol, which also runs scripts of several statements.
  const int sent =
      values.empty() ? PQsendQuery(conn_.get(), sql.c_str())
                     : PQsendQueryParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()),
                                         nullptr, pointers.data(), nullptr, nullptr, 0);
  if (sent == 0) {
    fail("sending a statement");
  }
  flush(deadline);
  rows last;
  pg_result* first_error = nullptr;
  try {
    while (pg_result* result = next_result(deadline)) {
      const auto state = PQresultStatus(result);
      if (state == PGRES_COMMAND_OK || state == PGRES_TUPLES_OK) {
        last = rows(result);
      } else if (first_error == nullptr) {
        first_error = result;
      } else {
        PQclear(result);
      }
    }
  } catch (...) {
    // The connection failed after an error's result had come (a FATAL message, then the end
    // of the connection): the error is given up with it.
    PQclear(first_error);
    throw;
  }
  if (first_error != nullptr) {
    fail("running \"" + sql.substr(0, 60) + "\"", first_error);
  }
  return last;
}

std::vector<rows> connection::pipeline(const std::vector<statement>& statements,
                                       std::chrono::milliseconds timeout) {
  const auto deadline = steady::now() + timeout;
  std::vector<rows> results;
  results.reserve(statements.size());
  pg_result* first_error = nullptr;
  std::size_t failed_at = 0;
  try {
    if (PQenterPipelineMode(conn_.get()) == 0) {
      fail("entering pipeline mode");
    }
    for (const statement& s : statements) {
      const auto pointers = pointers_of(s.values);
      const int sent =
          s.prepared.empty()
              ? PQsendQueryParams(conn_.get(), s.sql.c_str(), static_cast<int>(s.values.size()),
                                  nullptr, pointers.data(), nullptr, nullptr, 0)
              : PQsendQueryPrepared(conn_.get(), s.prepared.c_str(),
                                    static_cast<int>(s.values.size()), pointers.data(), nullptr,
                                    nullptr, 0);
      if (sent == 0) {
        fail("queueing a statement");
      }
    }
    if (PQpipelineSync(conn_.get()) == 0) {
      fail("ending the pipeline");
    }
    flush(deadline);
    for (std::size_t i = 0; i < statements.size(); ++i) {
      pg_result* result = next_result(deadline);
      if (result == nullptr) {
        fail("reading the pipeline's results");
      }
      const auto state = PQresultStatus(result);
      if (state == PGRES_COMMAND_OK || state == PGRES_TUPLES_OK) {
        results.emplace_back(result);
      } else {
        if (first_error == nullptr && state != PGRES_PIPELINE_ABORTED) {
          first_error = result;
          failed_at = i;
        } else {
          PQclear(result);
        }
        results.emplace_back();
      }
      // Each statement's results end with a null result.
      if (pg_result* end = next_result(deadline); end != nullptr) {
        PQclear(end);
        fail("reading the pipeline's results (more than one result for a statement)");
      }
    }
    pg_result* sync = next_result(deadline);
    const bool synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (!synced) {
      fail("reading the pipeline's end");
    }
    if (PQexitPipelineMode(conn_.get()) == 0) {
      fail("leaving pipeline mode");
    }
  } catch (...) {
    PQclear(first_error);
    // Half a pipeline cannot be resumed: the connection is given up.
    broken_ = true;
    throw;
  }
  if (first_error != nullptr) {
    const auto& failed = statements[failed_at];
    fail("in " +
             (failed.prepared.empty() ? "\"" + failed.sql.substr(0, 60) + "\"" : failed.prepared),
         first_error);
  }
  return results;
}

// --- array literals

void array_literal::separate() {
  if (count_++ > 0) {
    text_ += ',';
  }
}

void array_literal::add(std::int64_t value) {
  separate();
  text_ += std::to_string(value);
}

void array_literal::add(std::optional<std::int64_t> value) {
  if (value) {
    add(*value);
  } else {
    separate();
    text_ += "NULL";
  }
}

void array_literal::add(std::string_view text) {
  separate();
  text_ += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      text_ += '\\';
    }
    text_ += c;
  }
  text_ += '"';
}

void array_literal::add(std::optional<std::string_view> text) {
  if (text) {
    add(*text);
  } else {
    separate();
    text_ += "NULL";
  }
}

std::string array_literal::take() {
  std::string out = std::move(text_);
  out += '}';
  text_ = "{";
  count_ = 0;
  return out;
}

}  // namespace vgls::storage::postgres
