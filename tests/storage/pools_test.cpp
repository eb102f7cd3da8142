// Pool administration through the store (SPEC §2 admin routes).
#include <catch2/catch.hpp>

#include "tests/storage/store_fixture.h"

using namespace vgls;
using namespace vgls::storage;
using namespace vgls::storage::testing;
using protocol::edition;
using protocol::error_code;

TEST_CASE("create resolves days and defaults starts_at to now", "[storage][pools]") {
  store_under_test s;
  protocol::pool_create_request request;
  request.id = "sub";
  request.edition = edition::vpc;
  request.seats = 5;
  request.kind = protocol::pool_kind::subscription;
  request.days = 30;
  auto created = s.create_pool(request);
  REQUIRE(created);
  CHECK(created->pool.starts_at == t0);
  CHECK(created->pool.expires_at == t0 + 30 * 86400);
  CHECK(created->state == protocol::pool_state::active);
  CHECK(created->days_left == 30);
  CHECK(s.create_pool(request).error().code() == error_code::pool_exists);
}

TEST_CASE("create refuses a subscription without an end, and an end before the start",
          "[storage][pools]") {
  store_under_test s;
  auto request = pool_of("sub", edition::vpc, 5, std::nullopt);
  request.kind = protocol::pool_kind::subscription;
  auto refused = s.create_pool(request);
  CHECK(refused.error().code() == error_code::invalid_request);
  CHECK(refused.error().field() == "expires_at");
  request.expires_at = request.starts_at;
  CHECK(s.create_pool(request).error().code() == error_code::invalid_request);
  CHECK(s.list_pools()->empty());
}

TEST_CASE("a perpetual pool cannot be given an end, on create or on update", "[storage][pools]") {
  store_under_test s;
  auto request = pool_of("perp", edition::vcs, 5, std::nullopt);
  request.kind = protocol::pool_kind::perpetual;
  REQUIRE(s.create_pool(request));
  protocol::pool_patch_request patch;
  patch.expires_at = t0 + 86400;
  auto refused = s.update_pool("perp", patch);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == error_code::invalid_request);
  CHECK(refused.error().field() == "expires_at");
  auto pools = s.list_pools();
  REQUIRE(pools->size() == 1);
  CHECK_FALSE((*pools)[0].pool.expires_at);
  CHECK(s.events_of_type("pool.updated").empty());

  request.id = "perp2";
  request.expires_at = t0 + 86400;
  CHECK(s.create_pool(request).error().field() == "expires_at");
}

TEST_CASE("seats below used are allowed; checkouts wait until used < seats", "[storage][pools]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 3, t0 + 86400)));
  auto a = s.checkout("a", edition::vapp)->lease;
  REQUIRE(s.checkout("b", edition::vapp));
  REQUIRE(s.checkout("c", edition::vapp));
  protocol::pool_patch_request patch;
  patch.seats = 1;
  auto updated = s.update_pool("p", patch);
  REQUIRE(updated);
  CHECK(updated->used == 3);
  CHECK(updated->pool.seats == 1);
  CHECK(s.renew(a.id));  // no lease is cut
  REQUIRE(s.release(a.id));
  CHECK(s.checkout("d", edition::vapp).error().code() == error_code::no_seat_available);
  auto changes = s.events_of_type("pool.updated");
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].detail["seats"]["from"] == 3);
  CHECK(changes[0].detail["seats"]["to"] == 1);
}

TEST_CASE("update of a missing pool is pool_not_found", "[storage][pools]") {
  store_under_test s;
  CHECK(s.update_pool("nope", {}).error().code() == error_code::pool_not_found);
  CHECK(s.get_pool("nope").error().code() == error_code::pool_not_found);
  CHECK(s.delete_pool("nope").error().code() == error_code::pool_not_found);
}

TEST_CASE("delete refuses a pool in use unless forced, which revokes", "[storage][pools]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 3, t0 + 86400)));
  auto lease = s.checkout("a", edition::vapp)->lease;
  CHECK(s.delete_pool("p").error().code() == error_code::pool_in_use);
  CHECK(s.get_lease(lease.id));
  REQUIRE(s.delete_pool("p", true));
  CHECK(s.get_lease(lease.id).error().code() == error_code::lease_not_found);
  CHECK(s.events_of_type("lease.revoked").size() == 1);
  CHECK(s.events_of_type("pool.deleted").size() == 1);
  CHECK(s.get_pool("p").error().code() == error_code::pool_not_found);
  s.reopen();
  CHECK(s.list_pools()->empty());
  CHECK(s.get_lease(lease.id).error().code() == error_code::lease_not_found);
}

TEST_CASE("a pool whose leases all expired can be deleted without force", "[storage][pools]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 3, t0 + 86400)));
  REQUIRE(s.checkout("a", edition::vapp));
  s.clock().advance(3600);
  REQUIRE(s.delete_pool("p"));
}

TEST_CASE("list_pools orders by id and shows state and days left", "[storage][pools]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("zeta", edition::vapp, 1, t0 + 10 * 86400 + 5)));
  REQUIRE(s.create_pool(pool_of("alpha", edition::vws, 1, std::nullopt)));
  auto later = pool_of("mid", edition::vpc, 1, t0 + 20 * 86400);
  later.starts_at = t0 + 86400;
  REQUIRE(s.create_pool(later));
  auto pools = s.list_pools();
  REQUIRE(pools->size() == 3);
  CHECK((*pools)[0].pool.id == "alpha");
  CHECK((*pools)[0].days_left == std::nullopt);
  CHECK((*pools)[1].pool.id == "mid");
  CHECK((*pools)[1].state == protocol::pool_state::not_started);
  CHECK((*pools)[2].days_left == 10);
}
