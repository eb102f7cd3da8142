#include "tests/support/test_backend.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace vgls::testing {

namespace {

std::string read_server_dsn() {
  if (const char* dsn = std::getenv("VGLS_TEST_POSTGRES_DSN"); dsn && *dsn)
    return dsn;
  std::ifstream in(std::string(VGLS_TEST_POSTGRES_STATE) + "/dsn");
  std::string dsn;
  std::getline(in, dsn);
  if (dsn.empty()) {
    throw std::runtime_error(std::string("no test PostgreSQL server: ") + VGLS_TEST_POSTGRES_STATE +
                             "/dsn is missing; run the tests through ctest (its \"postgres\" "
                             "fixture starts one) or set VGLS_TEST_POSTGRES_DSN");
  }
  return dsn;
}

std::string unique_database_name() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return "vgls_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1)) +
         "_" + std::to_string(random() % 1000000);
}

}  // namespace

test_backend selected_backend() {
  const char* name = std::getenv("VGLS_TEST_BACKEND");
  if (name && std::string(name) == "postgres")
    return test_backend::postgres;
  return test_backend::sqlite;
}

const char* backend_name(test_backend backend) {
  return backend == test_backend::postgres ? "postgres" : "sqlite";
}

namespace {

// Runs `sql` and returns the first cell of the first row ("" when there is none).
std::string run_sql(const std::string& dsn, const std::string& sql) {
  PGconn* connection = PQconnectdb(dsn.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    throw std::runtime_error("cannot connect to the test PostgreSQL server: " + message);
  }
  PGresult* result = PQexec(connection, sql.c_str());
  const bool ok =
      PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
  std::string message = ok ? "" : PQresultErrorMessage(result);
  std::string first =
      ok && PQntuples(result) > 0 && PQnfields(result) > 0 ? PQgetvalue(result, 0, 0) : "";
  PQclear(result);
  PQfinish(connection);
  if (!ok)
    throw std::runtime_error("\"" + sql + "\" failed: " + message);
  return first;
}

}  // namespace

void execute_sql(const std::string& dsn, const std::string& sql) {
  run_sql(dsn, sql);
}

std::string query_text(const std::string& dsn, const std::string& sql) {
  return run_sql(dsn, sql);
}

std::string fresh_postgres_database::server_dsn() {
  static const std::string dsn = read_server_dsn();
  return dsn;
}

fresh_postgres_database::fresh_postgres_database() : name_(unique_database_name()) {
  execute_sql(server_dsn(), "CREATE DATABASE " + name_);
  dsn_ = server_dsn() + " dbname=" + name_;
}

fresh_postgres_database::~fresh_postgres_database() {
  try {
    execute_sql(server_dsn(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The server may be stopped by the test itself; the cluster is removed at the end anyway.
  }
}

}  // namespace vgls::testing
