// Support for storage tests: a temporary database file, a store on it driven by a manual clock,
// and synchronous forms of the store's asynchronous operations.
#pragma once

#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "protocol/requests.h"
#include "protocol/status.h"
#include "storage/clock.h"
#include "storage/open_store.h"
#include "storage/store.h"
#include "storage/store_options.h"
#include "tests/support/test_backend.h"

namespace vgls::storage::testing {

// 2026-11-24T10:00:00Z
inline constexpr protocol::unix_seconds t0 = 1795514400;

// A fresh directory, removed with its contents at the end of the test.
class scratch_dir {
 public:
  scratch_dir();
  ~scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Calls `start(callback)` and waits for the callback's result.
template <class T, class Start>
protocol::result<T> await(Start&& start) {
  auto promise = std::make_shared<std::promise<protocol::result<T>>>();
  auto future = promise->get_future();
  start([promise](protocol::result<T> r) { promise->set_value(std::move(r)); });
  return future.get();
}

// The backend the run selects: the SQLite file at `sqlite_path`, or the PostgreSQL database `dsn`.
backend_options selected_backend_options(const std::filesystem::path& sqlite_path,
                                         const std::string& dsn);

// A fresh PostgreSQL database when the run is on PostgreSQL; nothing (an empty DSN) on SQLite.
class database_for_run {
 public:
  database_for_run();
  std::string dsn() const { return database_ ? database_->dsn() : std::string(); }

 private:
  std::unique_ptr<vgls::testing::fresh_postgres_database> database_;
};

// open_store(), then waits (up to 10 s) until the store may write: a PostgreSQL store opened just
// after another one closed may stand by for a moment until the old session has ended.
protocol::result<std::unique_ptr<store>> open_serving(const backend_options& backend,
                                                      store_options options);

// A store on the SQLite file at `path`.
protocol::result<std::unique_ptr<store>> open_sqlite_file(const std::filesystem::path& path,
                                                          store_options options);

// Options for tests: trial off unless asked, 1 h leases, the given clock.
store_options test_options(std::shared_ptr<manual_clock> clock, bool trial = false);

protocol::checkout_request checkout_of(const std::string& client_id, protocol::edition edition);
protocol::pool_create_request pool_of(const std::string& id, protocol::edition edition,
                                      std::int64_t seats,
                                      std::optional<protocol::unix_seconds> expires_at);

// A store on the backend the run selects (tests/support/test_backend.h): a file in its own scratch
// directory, or a fresh PostgreSQL database; with synchronous forms of its operations.
class store_under_test {
 public:
  explicit store_under_test(bool trial = false, protocol::unix_seconds start = t0);
  ~store_under_test();

  // Closes and opens the store again on the same file with the same options.
  void reopen();
  void close();
  store& get() { return *store_; }
  manual_clock& clock() { return *clock_; }
  store_options& options() { return options_; }
  // The SQLite file (tests about it are tagged [sqlite-only]).
  const std::filesystem::path& path() const { return path_; }
  // How the store is opened; reopen() uses it.
  const backend_options& backend() const { return backend_; }

  protocol::result<checkout_outcome> checkout(const protocol::checkout_request& request);
  protocol::result<checkout_outcome> checkout(const std::string& client_id,
                                              protocol::edition edition);
  protocol::result<protocol::lease> renew(const std::string& lease_id);
  protocol::result<done> release(const std::string& lease_id,
                                 release_kind kind = release_kind::released);
  protocol::result<protocol::lease> get_lease(const std::string& lease_id);
  protocol::result<protocol::pool_view> create_pool(const protocol::pool_create_request& request);
  protocol::result<protocol::pool_view> get_pool(const std::string& id);
  protocol::result<protocol::pool_view> update_pool(const std::string& id,
                                                    const protocol::pool_patch_request& patch);
  protocol::result<done> delete_pool(const std::string& id, bool force = false);
  protocol::result<std::vector<protocol::pool_view>> list_pools();
  protocol::result<protocol::lease_page> list_leases(const protocol::lease_query& query);
  protocol::result<protocol::event_page> list_events(const protocol::event_query& query);
  protocol::result<std::vector<protocol::usage_bucket>> usage(const protocol::usage_query& query);
  protocol::result<store_facts> facts();

  // Every event of `type`, reading all pages.
  std::vector<protocol::event> events_of_type(const std::string& type);
  // Polls (up to ~10 s of real time) until `count` events of `type` exist; returns what it saw.
  std::size_t wait_for_events(const std::string& type, std::size_t count);

 private:
  scratch_dir dir_;
  std::filesystem::path path_;
  database_for_run database_;
  backend_options backend_;
  std::shared_ptr<manual_clock> clock_;
  store_options options_;
  std::unique_ptr<store> store_;
};

}  // namespace vgls::storage::testing
