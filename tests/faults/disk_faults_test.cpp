// Disk faults on SQLite: a full disk, a database that stops being writable while vglsd runs
// (immutable files; the same as a file system remounted read-only after an I/O error), and a
// start on a read-only database. Each must be answered 503 `unavailable`, show on /healthz, and
// heal without a restart once the disk takes writes again; nothing acknowledged is lost.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "tests/faults/fault_support.h"
#include "tests/server/e2e_steps.h"
#include "tests/support/checkout_load.h"
#include "tests/support/ledger_checks.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

vglsd_options on_disk(const std::filesystem::path& data_dir) {
  vglsd_options options = configured(no_trial(), data_dir);
  options.backend = test_backend::sqlite;
  return options;
}

void add_pool(vglsd_process& server, int seats = 100000) {
  REQUIRE(create_pool(*server.admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", seats}, {"kind", "perpetual"}})
              .status == 201);
}

// Fills the file system under `dir` to the last byte.
void fill(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  std::string chunk(64 * 1024, 'x');
  while (::write(fd, chunk.data(), chunk.size()) > 0) {
  }
  chunk.assign(1, 'x');
  while (::write(fd, chunk.data(), 1) > 0) {
  }
  ::close(fd);
}

int health_status(vglsd_process& server) {
  return call_json(*server.client(), "GET", "/healthz").status;
}

// After the fault healed: every lease acknowledged before, during and after it survives kill -9,
// no acknowledged release came back, and the pool stays within its seats.
// `own`: leases the test granted itself, beside the load's.
void check_ledger_after_kill(vglsd_process& server, const checkout_load& load, std::int64_t own) {
  server.kill9();
  server.start();
  check_held_and_seats(server, load, std::nullopt, own);
}

}  // namespace

TEST_CASE(
    "a full disk: 503 unavailable and /healthz 503 while commits fail, then recovery "
    "without a restart",
    "[faults][disk][sqlite-only]") {
  temp_dir dir("vgls-full-disk");
  std::string why_not;
  auto disk = mounted_fs::tmpfs(dir / "mnt", 8u << 20, why_not);
  VGLS_SKIP_UNLESS(disk, why_not);
  vglsd_process server(on_disk(disk->path() / "data"));
  add_pool(server);
  const pid_t pid = server.pid();
  checkout_load load({server.url()}, 2);
  REQUIRE(wait_until([&] { return load.granted() >= 50; }, 30s));

  fill(disk->path() / "filler");
  auto c = server.client();
  int attempts = 0;
  json_response refused;
  REQUIRE(wait_until(
      [&] {
        refused = checkout(*c, "vm-full-" + std::to_string(attempts++), "vWS");
        return refused.status == 503;
      },
      60s));
  CHECK(error_code_of(refused) == "unavailable");
  CHECK(refused.raw.header("Retry-After") != "");
  // Health says so while writes fail, and why.
  REQUIRE(wait_until([&] { return health_status(server) == 503; }, 10s));
  const auto health = call_json(*c, "GET", "/healthz");
  CHECK_THAT(health.body.dump(), Catch::Contains("commit"));

  std::filesystem::remove(disk->path() / "filler");
  REQUIRE(wait_until([&] { return checkout(*c, "vm-after-full", "vWS").status == 201; }, 30s));
  REQUIRE(wait_until([&] { return health_status(server) == 200; }, 30s));
  CHECK(server.pid() == pid);
  const auto granted = load.granted();
  REQUIRE(wait_until([&] { return load.granted() >= granted + 50; }, 30s));
  load.stop();
  // Every attempt before the refusal was granted, and one after it.
  check_ledger_after_kill(server, load, attempts);
}

TEST_CASE(
    "database files made immutable under a running vglsd: 503, no crash, recovery when "
    "writable again",
    "[faults][disk][sqlite-only]") {
  temp_dir dir("vgls-immutable");
  std::string why_not;
  auto disk = mounted_fs::ext4(dir / "mnt", 32, why_not);
  VGLS_SKIP_UNLESS(disk, why_not);
  const auto data_dir = disk->path() / "data";
  vglsd_process server(on_disk(data_dir));
  add_pool(server);
  const pid_t pid = server.pid();
  auto c = server.client();
  REQUIRE(checkout(*c, "vm-before", "vWS").status == 201);
  checkout_load load({server.url()}, 2);
  REQUIRE(wait_until([&] { return load.granted() >= 50; }, 30s));

  REQUIRE(set_immutable(database_files(data_dir), true));
  // Written back and dropped from the page cache, the pages of any file mapping must be faulted
  // in again: a store to one then asks the file system, which refuses an immutable file — with
  // SIGBUS for a mapping, as vglsd's memory-mapped -shm once was.
  if (!run_command("sync && echo 1 > /proc/sys/vm/drop_caches 2>/dev/null")) {
    WARN(
        "could not drop the page cache (/proc/sys read-only?): pages still in it are not "
        "faulted in again, so this run checks the 503 and the recovery, not the mapping");
  }
  const auto refused = checkout(*c, "vm-during", "vWS");
  CHECK(refused.status == 503);
  CHECK(error_code_of(refused) == "unavailable");
  REQUIRE(wait_until([&] { return health_status(server) == 503; }, 10s));
  CHECK(server.running());

  REQUIRE(set_immutable(database_files(data_dir), false));
  REQUIRE(wait_until([&] { return checkout(*c, "vm-after", "vWS").status == 201; }, 30s));
  REQUIRE(wait_until([&] { return health_status(server) == 200; }, 30s));
  CHECK(server.pid() == pid);
  CHECK(server.running());
  const auto granted = load.granted();
  REQUIRE(wait_until([&] { return load.granted() >= granted + 50; }, 30s));
  load.stop();
  check_ledger_after_kill(server, load, 2);
}

TEST_CASE("a start on a read-only database says which file and what to do",
          "[faults][disk][sqlite-only]") {
  temp_dir dir("vgls-read-only");
  std::string why_not;
  auto disk = mounted_fs::ext4(dir / "mnt", 32, why_not);
  VGLS_SKIP_UNLESS(disk, why_not);
  const auto data_dir = disk->path() / "data";
  {
    vglsd_process first(on_disk(data_dir));
    add_pool(first);
    REQUIRE(first.terminate() == 0);
  }

  SECTION("the file system remounted read-only") {
    REQUIRE(disk->remount("ro"));
    auto options = on_disk(data_dir);
    options.start = false;
    vglsd_process server(options);
    CHECK_THROWS(server.start());
    const auto log = server.log();
    CHECK_THAT(log, Catch::Contains("not writable"));
    CHECK_THAT(log, Catch::Contains((data_dir / "vgls.db").string()));
    CHECK_THAT(log, Catch::Contains("read-only"));
    CHECK_THAT(log, !Catch::Contains("(in: PRAGMA"));
    REQUIRE(disk->remount("rw"));
  }
  SECTION("the database file immutable") {
    REQUIRE(set_immutable({data_dir / "vgls.db"}, true));
    auto options = on_disk(data_dir);
    options.start = false;
    vglsd_process server(options);
    CHECK_THROWS(server.start());
    const auto log = server.log();
    CHECK_THAT(log,
               Catch::Contains("the file " + (data_dir / "vgls.db").string() + " is not writable"));
    CHECK_THAT(log, Catch::Contains("lsattr"));
    REQUIRE(set_immutable({data_dir / "vgls.db"}, false));
  }
  SECTION("the data directory immutable") {
    REQUIRE(set_immutable({data_dir}, true));
    auto options = on_disk(data_dir);
    options.start = false;
    vglsd_process server(options);
    CHECK_THROWS(server.start());
    const auto log = server.log();
    CHECK_THAT(log, Catch::Contains("not writable"));
    CHECK_THAT(log, Catch::Contains(data_dir.string()));
    REQUIRE(set_immutable({data_dir}, false));
  }
}
