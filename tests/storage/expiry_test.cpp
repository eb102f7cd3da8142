// Logical expiry, the sweeper, and the clock (SPEC §1 rules 1, 2 and 6).
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "tests/storage/store_fixture.h"

using namespace vgls;
using namespace vgls::storage;
using namespace vgls::storage::testing;
using protocol::edition;
using protocol::error_code;

TEST_CASE("an expired lease frees its seat at once, before any sweep", "[storage][expiry]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 1, t0 + 86400)));
  auto lease = s.checkout("vm-1", edition::vapp)->lease;
  s.clock().advance(3599);
  CHECK(s.checkout("vm-2", edition::vapp).error().code() == error_code::no_seat_available);
  s.clock().advance(1);
  CHECK(s.get_pool("p")->used == 0);
  CHECK(s.renew(lease.id).error().code() == error_code::lease_not_found);
  auto second = s.checkout("vm-2", edition::vapp);
  REQUIRE(second);
  CHECK(s.get_pool("p")->used == 1);
}

TEST_CASE("the sweeper records lease.expired and keeps new leases", "[storage][expiry]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 10, t0 + 86400)));
  for (int i = 0; i < 5; ++i) {
    REQUIRE(s.checkout("old-" + std::to_string(i), edition::vapp));
  }
  s.clock().advance(3600);
  auto fresh = s.checkout("new", edition::vapp);
  REQUIRE(fresh);
  REQUIRE(s.wait_for_events("lease.expired", 5) == 5);
  auto expired = s.events_of_type("lease.expired");
  CHECK(expired.size() == 5);
  CHECK(expired[0].detail["reason"] == "lease_expired");
  CHECK(s.get_lease(fresh->lease.id));
  CHECK(s.facts()->leases_expired_total == 5);
  CHECK(s.facts()->leases_active == 1);
}

TEST_CASE("an expired client checks out anew and gets a new lease", "[storage][expiry]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 1, t0 + 86400)));
  auto first = s.checkout("vm-1", edition::vapp)->lease;
  s.clock().advance(4000);
  auto second = s.checkout("vm-1", edition::vapp);
  REQUIRE(second);
  CHECK(second->created);
  CHECK(second->lease.id != first.id);
  REQUIRE(s.wait_for_events("lease.expired", 1) == 1);
  // The sweep of the old lease must not disturb the client's new one.
  CHECK(s.checkout("vm-1", edition::vapp)->lease.id == second->lease.id);
}

TEST_CASE("a pool that expires ends its leases and refuses checkouts", "[storage][expiry]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vpc, 3, t0 + 100)));
  auto lease = s.checkout("vm-1", edition::vpc)->lease;
  CHECK(lease.expires_at == t0 + 100);
  s.clock().advance(100);
  CHECK(s.get_pool("p")->state == protocol::pool_state::expired);
  CHECK(s.get_pool("p")->used == 0);
  CHECK(s.checkout("vm-2", edition::vpc).error().code() == error_code::license_expired);
  CHECK(s.renew(lease.id).error().code() == error_code::license_expired);
}

TEST_CASE("moving a pool's expiry earlier ends its leases then", "[storage][expiry]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vws, 2, t0 + 86400)));
  auto lease = s.checkout("vm-1", edition::vws)->lease;
  protocol::pool_patch_request patch;
  patch.expires_at = t0 + 60;
  REQUIRE(s.update_pool("p", patch));
  CHECK(s.get_lease(lease.id)->expires_at == t0 + 60);
  s.clock().advance(60);
  CHECK(s.get_lease(lease.id).error().code() == error_code::lease_not_found);
  CHECK(s.renew(lease.id).error().code() == error_code::license_expired);
}

TEST_CASE("a clock set back does not extend anything", "[storage][clock]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 1, t0 + 7200)));
  auto lease = s.checkout("vm-1", edition::vapp)->lease;
  s.clock().advance(3000);
  CHECK(s.get_lease(lease.id)->ttl_seconds == 600);

  s.clock().set(t0 - 86400);  // a day back
  CHECK(s.get().now() == t0 + 3000);
  auto seen = s.get_lease(lease.id);
  REQUIRE(seen);
  CHECK(seen->ttl_seconds == 600);
  auto renewed = s.renew(lease.id);
  REQUIRE(renewed);
  CHECK(renewed->expires_at == t0 + 3000 + 3600);  // from the high-water time, not the wall clock
  auto facts = s.facts();
  CHECK(facts->clock_rollback);
  CHECK(facts->clock_high_water == t0 + 3000);
  CHECK(s.events_of_type("clock.rollback").size() == 1);

  // The high-water mark survives a restart with the clock still wrong.
  s.reopen();
  CHECK(s.get().now() == t0 + 3000);
  CHECK(s.facts()->clock_rollback);

  // Once the clock is right again the warning clears.
  s.clock().set(t0 + 3010);
  CHECK_FALSE(s.facts()->clock_rollback);
  CHECK(s.get().now() == t0 + 3010);
}

TEST_CASE("a small step back (within 5 minutes) is no rollback but still never goes back",
          "[storage][clock]") {
  store_under_test s;
  s.clock().advance(100);
  REQUIRE(s.facts());
  s.clock().advance(-200);
  auto facts = s.facts();
  CHECK_FALSE(facts->clock_rollback);
  CHECK(facts->time == t0 + 100);
}

TEST_CASE("leases of 1-2 s expire by the real clock", "[storage][expiry]") {
  scratch_dir dir;
  database_for_run database;
  store_options options;
  options.trial.enabled = false;
  options.leases.duration_seconds = 1;
  auto opened =
      open_serving(selected_backend_options(dir.file("real.db"), database.dsn()), options);
  REQUIRE(opened);
  auto& s = *opened.value();
  const auto now = s.now();
  auto pool = pool_of("p", edition::vapp, 1, now + 86400);
  pool.starts_at = now - 10;
  REQUIRE(await<protocol::pool_view>([&](auto done) { s.create_pool(pool, "admin", done); }));
  auto lease = await<checkout_outcome>(
      [&](auto done) { s.checkout(checkout_of("a", edition::vapp), done); });
  REQUIRE(lease);
  CHECK(lease->lease.ttl_seconds <= 1);
  // Wait (bounded) until the lease is gone; then the seat is free for another client.
  protocol::result<checkout_outcome> other = protocol::status::internal("not tried");
  for (int i = 0; i < 100 && !other; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    other = await<checkout_outcome>(
        [&](auto done) { s.checkout(checkout_of("b", edition::vapp), done); });
  }
  REQUIRE(other);
  CHECK(await<protocol::lease>([&](auto done) { s.get_lease(lease->lease.id, done); })
            .error()
            .code() == error_code::lease_not_found);
  s.close();
}

TEST_CASE("a mass expiry is swept in chunks while checkouts go on", "[storage][expiry]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 20000, t0 + 86400)));
  constexpr int count = 12000;
  std::mutex mutex;
  std::condition_variable all_done;
  int answered = 0;
  int granted = 0;
  for (int i = 0; i < count; ++i) {
    s.get().checkout(checkout_of("vm-" + std::to_string(i), edition::vapp),
                     [&](protocol::result<checkout_outcome> result) {
                       std::lock_guard lock(mutex);
                       ++answered;
                       granted += result ? 1 : 0;
                       all_done.notify_one();
                     });
  }
  {
    std::unique_lock lock(mutex);
    all_done.wait(lock, [&] { return answered == count; });
  }
  REQUIRE(granted == count);
  s.clock().advance(3600);  // every one of them ends at the same second
  CHECK(s.get_pool("p")->used == 0);
  auto fresh = s.checkout("fresh", edition::vapp);
  REQUIRE(fresh);
  CHECK(s.get_pool("p")->used == 1);
  CHECK(s.wait_for_events("lease.expired", count) == count);
  CHECK(s.facts()->leases_expired_total == count);
  CHECK(s.get_lease(fresh->lease.id));
  s.reopen();
  CHECK(s.get_pool("p")->used == 1);
}

TEST_CASE("after close, calls are answered unavailable", "[storage][lifecycle]") {
  store_under_test s;
  auto& store = s.get();
  store.close();
  auto answer = await<std::vector<protocol::pool_view>>([&](auto done) { store.list_pools(done); });
  CHECK(answer.error().code() == error_code::unavailable);
}
