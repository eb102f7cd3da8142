// A PostgreSQL server of a test's own (tests/support/test-postgres.sh), for tests that stop,
// restart or replicate the database: a primary, or a streaming replica of one. Removed with its
// cluster at destruction. Not thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace vgls::testing {

class postgres_server {
 public:
  struct with_password {
    std::string password;
  };
  // A new primary with trust authentication.
  postgres_server();
  // A new primary whose TCP logins need `password` (scram-sha-256).
  explicit postgres_server(with_password password);
  // A streaming replica of `primary`, made with pg_basebackup.
  static postgres_server replica_of(const postgres_server& primary);
  ~postgres_server();
  postgres_server(postgres_server&& other) noexcept;
  postgres_server& operator=(postgres_server&&) = delete;

  // Fast shutdown (sessions end), the cluster kept; resume() starts it again on the same port.
  void halt();
  void resume();
  // A replica becomes a primary.
  void promote();

  int port() const;
  // libpq keyword form, superuser, database "postgres".
  std::string dsn() const;
  // The same server, another database.
  std::string dsn(const std::string& database) const;

 private:
  struct replica_tag {};
  postgres_server(replica_tag, const postgres_server& primary);
  void script(const std::vector<std::string>& args,
              const std::map<std::string, std::string>& env = {}) const;

  std::unique_ptr<temp_dir> state_;
};

}  // namespace vgls::testing
