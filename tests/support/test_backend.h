// Which storage backend a test run uses, and fresh PostgreSQL databases for it.
//
// A suite registered for both backends runs twice: as itself (SQLite) and with
// VGLS_TEST_BACKEND=postgres, against the suite's PostgreSQL server
// (tests/support/test-postgres.sh, started by the ctest fixture "postgres"). VGLS_TEST_POSTGRES_DSN
// names another server instead.
#pragma once

#include <string>

namespace vgls::testing {

enum class test_backend { sqlite, postgres };

// From VGLS_TEST_BACKEND: "postgres", or SQLite when unset.
test_backend selected_backend();
const char* backend_name(test_backend backend);

// A database of its own on the test server, dropped (with its sessions) at destruction.
class fresh_postgres_database {
 public:
  fresh_postgres_database();
  ~fresh_postgres_database();
  fresh_postgres_database(const fresh_postgres_database&) = delete;
  fresh_postgres_database& operator=(const fresh_postgres_database&) = delete;

  const std::string& name() const { return name_; }
  // A libpq connection string for this database.
  const std::string& dsn() const { return dsn_; }
  // The server's connection string (database "postgres"), for tests that administer the server.
  static std::string server_dsn();

 private:
  std::string name_;
  std::string dsn_;
};

// Runs one SQL command on the database of `dsn`; throws std::runtime_error with the server's
// message.
void execute_sql(const std::string& dsn, const std::string& sql);
// The first column of the first row of a query ("" when there is no row).
std::string query_text(const std::string& dsn, const std::string& sql);

}  // namespace vgls::testing
