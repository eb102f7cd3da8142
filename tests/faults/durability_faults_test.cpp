// kill -9 of vglsd under concurrent load, round after round, with a ledger of every acknowledged
// write (SPEC §1 rule 5): no acknowledged lease lost, no acknowledged release back, the pool never
// over its seats. Rounds: VGLS_FAULT_ROUNDS (default 10). The PostgreSQL equivalent is
// tests/postgres/outages_test.cpp ("kill -9 of vglsd on PostgreSQL under load").
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

#include "tests/faults/fault_support.h"
#include "tests/server/e2e_steps.h"
#include "tests/support/checkout_load.h"
#include "tests/support/ledger_checks.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

int rounds() {
  if (const char* text = std::getenv("VGLS_FAULT_ROUNDS")) {
    return std::max(1, std::atoi(text));
  }
  return 10;
}

}  // namespace

TEST_CASE("kill -9 under concurrent load, round after round, loses no acknowledged write",
          "[faults][durability][sqlite-only]") {
  vglsd_options options = configured(no_trial());
  options.backend = test_backend::sqlite;
  vglsd_process server(options);
  // Small enough that the load runs it full: checkouts then meet no_seat_available, releases free
  // seats again, and the count must never pass the seats across the kills.
  constexpr std::int64_t seats = 1500;
  REQUIRE(create_pool(*server.admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", seats}, {"kind", "perpetual"}})
              .status == 201);
  checkout_load load({server.url()}, 3);
  const int n = rounds();
  std::int64_t most_used = 0;
  for (int round = 0; round < n; ++round) {
    const auto before = load.granted();
    // Progress, or a full pool (no grant can come until the load releases).
    wait_until([&] { return load.granted() >= before + 150; }, 15s);
    server.kill9();
    server.start();
    most_used = std::max(most_used, used_of(*server.admin_client(), "p"));
    CHECK(most_used <= seats);
  }
  load.stop();
  const auto ledger = check_held_and_seats(server, load, seats);
  std::printf(
      "fault suite, kill -9: %d rounds, %d checkouts acknowledged (201), %zu held and %zu "
      "released by acknowledged answers, %d requests cut off unanswered; lost: %d, released "
      "that came back: %d, most used %lld of %lld seats\n",
      n, load.granted(), load.held().size(), load.released().size(), load.unanswered(),
      ledger.not_renewed, ledger.came_back, static_cast<long long>(most_used),
      static_cast<long long>(seats));
}
