// Trial pools, restarts and crashes (SPEC §1 rule 5 and the trial paragraph).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "storage/sqlite/database.h"
#include "tests/storage/store_fixture.h"

using namespace vgls;
using namespace vgls::storage;
using namespace vgls::storage::testing;
using protocol::edition;
using protocol::error_code;

TEST_CASE("the trial is created on first start only, never re-created", "[storage][trial]") {
  store_under_test s(/*trial=*/true);
  auto pools = s.list_pools();
  REQUIRE(pools);
  REQUIRE(pools->size() == 4);
  CHECK((*pools)[0].pool.id == "trial-vapp");
  CHECK((*pools)[1].pool.id == "trial-vcs");
  CHECK((*pools)[2].pool.id == "trial-vpc");
  CHECK((*pools)[3].pool.id == "trial-vws");
  for (const auto& view : *pools) {
    CHECK(view.pool.kind == protocol::pool_kind::trial);
    CHECK(view.pool.seats == 16);
    CHECK(view.pool.expires_at == t0 + 90 * 86400);
    CHECK(view.days_left == 90);
  }
  CHECK(s.events_of_type("pool.created").size() == 4);

  // Deleting the trial and restarting later does not bring it back, nor extend it.
  for (const auto& view : *pools) {
    REQUIRE(s.delete_pool(view.pool.id));
  }
  s.clock().advance(10 * 86400);
  s.reopen();
  CHECK(s.list_pools()->empty());
  CHECK(s.events_of_type("server.started").size() == 2);
}

TEST_CASE("restarting keeps the trial's original expiry", "[storage][trial]") {
  store_under_test s(/*trial=*/true);
  s.clock().advance(30 * 86400);
  s.reopen();
  auto pool = s.get_pool("trial-vws");
  REQUIRE(pool);
  CHECK(pool->pool.expires_at == t0 + 90 * 86400);
  CHECK(pool->days_left == 60);
}

TEST_CASE("declared pools are created, then brought in line", "[storage][pools]") {
  store_under_test s;
  protocol::pool_create_request declared;
  declared.id = "vws-main";
  declared.edition = edition::vws;
  declared.seats = 120;
  declared.kind = protocol::pool_kind::subscription;
  declared.expires_at = t0 + 200 * 86400;
  s.options().declared_pools = {declared};
  s.reopen();
  CHECK(s.get_pool("vws-main")->pool.seats == 120);

  s.options().declared_pools[0].seats = 150;
  s.reopen();
  CHECK(s.get_pool("vws-main")->pool.seats == 150);
  auto updates = s.events_of_type("pool.updated");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].detail["seats"]["to"] == 150);

  s.reopen();  // unchanged: no new event
  CHECK(s.events_of_type("pool.updated").size() == 1);
}

TEST_CASE("reopen after close keeps pools, leases and events", "[storage][durability]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vws, 3, t0 + 86400)));
  auto request = checkout_of("vm-1", edition::vpc);
  request.labels = {{"a", "b"}};
  auto first = s.checkout(request)->lease;
  auto second = s.checkout("vm-2", edition::vws)->lease;
  const auto events_before = s.list_events({})->events.size();

  s.reopen();
  auto again = s.get_lease(first.id);
  REQUIRE(again);
  CHECK(again->client_id == "vm-1");
  CHECK(again->requested_edition == edition::vpc);
  CHECK(again->granted_edition == edition::vws);
  CHECK(again->expires_at == first.expires_at);
  CHECK(again->labels.at("a") == "b");
  CHECK(s.get_lease(second.id));
  CHECK(s.get_pool("p")->used == 2);
  // Idempotent checkout still finds the client's lease after the restart.
  CHECK(s.checkout("vm-1", edition::vpc)->lease.id == first.id);
  CHECK(s.list_events({})->events.size() > events_before);
}

TEST_CASE("every acknowledged checkout survives kill -9", "[storage][durability]") {
  scratch_dir dir;
  database_for_run database;
  const auto backend = selected_backend_options(dir.file("crash.db"), database.dsn());
  {
    store_options options;
    options.trial.enabled = false;
    auto opened = open_serving(backend, options);
    REQUIRE(opened);
    auto pool = pool_of("p", edition::vapp, 100000, std::nullopt);
    REQUIRE(await<protocol::pool_view>(
        [&](auto done) { opened.value()->create_pool(pool, "admin", done); }));
    opened.value()->close();
  }

  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child: checkout forever, reporting each acknowledged id, until killed.
    ::close(pipe_fds[0]);
    store_options options;
    options.trial.enabled = false;
    auto opened = open_serving(backend, options);
    if (!opened) {
      ::_exit(2);
    }
    for (int i = 0;; ++i) {
      auto granted = await<checkout_outcome>([&](auto done) {
        opened.value()->checkout(checkout_of("vm-" + std::to_string(i), edition::vapp), done);
      });
      if (!granted) {
        ::_exit(3);
      }
      const std::string line = granted->lease.id + "\n";
      if (::write(pipe_fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
        ::_exit(4);
      }
    }
  }
  ::close(pipe_fds[1]);
  std::vector<std::string> acknowledged;
  std::string buffer;
  char chunk[4096];
  while (acknowledged.size() < 300) {
    const ssize_t got = ::read(pipe_fds[0], chunk, sizeof chunk);
    if (got <= 0) {
      break;
    }
    buffer.append(chunk, static_cast<std::size_t>(got));
    for (auto newline = buffer.find('\n'); newline != std::string::npos;
         newline = buffer.find('\n')) {
      acknowledged.push_back(buffer.substr(0, newline));
      buffer.erase(0, newline + 1);
    }
  }
  ::kill(child, SIGKILL);
  int wait_status = 0;
  ::waitpid(child, &wait_status, 0);
  ::close(pipe_fds[0]);
  REQUIRE(acknowledged.size() >= 300);
  CHECK(WIFSIGNALED(wait_status));

  store_options options;
  options.trial.enabled = false;
  auto reopened = open_serving(backend, options);
  REQUIRE(reopened);
  int missing = 0;
  for (const auto& id : acknowledged) {
    auto lease = await<protocol::lease>([&](auto done) { reopened.value()->get_lease(id, done); });
    if (!lease) {
      ++missing;
    }
  }
  CHECK(missing == 0);
  reopened.value()->close();
}

TEST_CASE("a batch that cannot commit is answered unavailable and changes nothing",
          "[storage][failure][sqlite-only]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 5, t0 + 86400)));
  {
    // Another writer holds the database: the store's transaction cannot start (SQLITE_BUSY after
    // its busy timeout), as it could not commit on a failing disk.
    sqlite::database other(s.path());
    other.exec("PRAGMA busy_timeout = 10000");  // the store's sweeper may hold the lock a moment
    other.exec("BEGIN IMMEDIATE");
    other.exec("INSERT INTO meta (key, value) VALUES ('held', 'by another writer')");
    auto refused = s.checkout("a", edition::vapp);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code() == error_code::unavailable);
    other.exec("ROLLBACK");
  }
  CHECK(s.get_pool("p")->used == 0);
  CHECK(s.events_of_type("lease.granted").empty());
  auto granted = s.checkout("a", edition::vapp);
  REQUIRE(granted);
  CHECK(granted->created);
  CHECK(s.get_pool("p")->used == 1);
}
