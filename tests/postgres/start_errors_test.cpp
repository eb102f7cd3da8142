// A PostgreSQL installation that cannot start says why, naming the host, and exits non-zero.
#include <catch2/catch.hpp>

#include "tests/server/e2e_steps.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

// vglsd started on `dsn`: its exit status and log, once it has given up.
run_result start_on(const std::string& dsn) {
  temp_dir dir("vglsd-start-error");
  write_file(dir / "vglsd.toml", "[storage]\nbackend = \"postgres\"\npostgres_dsn = \"" + dsn +
                                     "\"\nconnect_timeout = \"2s\"\n");
  return run_program(
      {VGLS_VGLSD_BIN, "--config", (dir / "vglsd.toml").string(), "--listen",
       "127.0.0.1:" + std::to_string(free_port()), "--data-dir", (dir / "data").string()},
      60s);
}

}  // namespace

TEST_CASE("no server at the DSN's address: the start names it and exits non-zero",
          "[postgres][start]") {
  const int port = free_port();
  auto result = start_on("host=127.0.0.1 port=" + std::to_string(port) + " user=postgres");
  CHECK(result.exit_status != 0);
  CHECK_THAT(result.output, Catch::Contains("127.0.0.1") && Catch::Contains(std::to_string(port)) &&
                                Catch::Contains("cannot connect"));
}

TEST_CASE("a refused password and a missing database are named at start", "[postgres][start]") {
  postgres_server server(postgres_server::with_password{"the-right-one"});
  auto refused = start_on(server.dsn() + " password=a-wrong-one");
  CHECK(refused.exit_status != 0);
  CHECK_THAT(refused.output,
             Catch::Contains("127.0.0.1") && Catch::Contains("password authentication failed"));

  auto missing = start_on(server.dsn("no_such_database") + " password=the-right-one");
  CHECK(missing.exit_status != 0);
  CHECK_THAT(missing.output,
             Catch::Contains("no_such_database") && Catch::Contains("does not exist"));
}

TEST_CASE("a schema newer than this vglsd refuses the start and changes nothing",
          "[postgres][start]") {
  fresh_postgres_database database;
  {
    vglsd_options options;
    options.backend = test_backend::postgres;
    options.postgres_dsn = database.dsn();
    vglsd_process first(options);
    CHECK(first.terminate() == 0);
  }
  execute_sql(database.dsn(), "UPDATE meta SET value = '999' WHERE key = 'schema_version'");
  auto result = start_on(database.dsn());
  CHECK(result.exit_status != 0);
  CHECK_THAT(result.output, Catch::Contains("999") && Catch::Contains("newer"));
  CHECK(query_text(database.dsn(), "SELECT value FROM meta WHERE key = 'schema_version'") == "999");
}
