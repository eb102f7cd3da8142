// Checkout, renew, release and get against a real SQLite file (SPEC §1 rules 1-4).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "protocol/time.h"
#include "protocol/validation.h"
#include "tests/storage/store_fixture.h"

using namespace vgls;
using namespace vgls::storage;
using namespace vgls::storage::testing;
using protocol::edition;
using protocol::error_code;

TEST_CASE("checkout grants a lease with server-computed times", "[storage][checkout]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("vws-a", edition::vws, 2, t0 + 30 * 86400)));

  auto request = checkout_of("vm-1", edition::vws);
  request.vgpu_profile = "GRID P40-2Q";
  request.labels = {{"team", "cad"}};
  request.client_time = t0 + 42;
  auto granted = s.checkout(request);
  REQUIRE(granted);
  CHECK(granted->created);
  const auto& lease = granted->lease;
  CHECK(protocol::is_valid_lease_id(lease.id));
  CHECK(lease.client_id == "vm-1");
  CHECK(lease.pool_id == "vws-a");
  CHECK(lease.granted_edition == edition::vws);
  CHECK(lease.issued_at == t0);
  CHECK(lease.expires_at == t0 + 3600);
  CHECK(lease.ttl_seconds == 3600);
  CHECK(lease.renew_after_seconds == 540);
  CHECK(lease.hostname == "host-vm-1");
  CHECK(lease.labels.at("team") == "cad");

  auto fetched = s.get_lease(lease.id);
  REQUIRE(fetched);
  CHECK(fetched->vgpu_profile == "GRID P40-2Q");
  CHECK(fetched->labels.at("team") == "cad");
  CHECK(fetched->client_clock_skew_seconds == 42);
  CHECK(s.get_pool("vws-a")->used == 1);
}

TEST_CASE("lease ids are distinct and unguessable in form", "[storage][checkout]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 100, std::nullopt)));
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto granted = s.checkout("vm-" + std::to_string(i), edition::vapp);
    REQUIRE(granted);
    CHECK(granted->lease.id.size() >= 26);
    ids.insert(granted->lease.id);
  }
  CHECK(ids.size() == 50);
}

TEST_CASE("renew moves expiry and never past the pool's end", "[storage][renew]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vpc, 1, t0 + 4000)));
  auto lease = s.checkout("vm-1", edition::vpc)->lease;
  CHECK(lease.expires_at == t0 + 3600);

  s.clock().advance(1000);
  auto renewed = s.renew(lease.id);
  REQUIRE(renewed);
  CHECK(renewed->expires_at == t0 + 4000);  // capped by the pool
  CHECK(renewed->ttl_seconds == 3000);
  CHECK(renewed->renewed_at == t0 + 1000);
  CHECK(renewed->issued_at == t0);
  CHECK(renewed->hostname == "host-vm-1");
}

TEST_CASE("release frees the seat; a second release or renew is lease_not_found",
          "[storage][release]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 1, std::nullopt)));
  auto first = s.checkout("vm-1", edition::vapp);
  REQUIRE(first);
  CHECK(s.checkout("vm-2", edition::vapp).error().code() == error_code::no_seat_available);

  REQUIRE(s.release(first->lease.id));
  CHECK(s.release(first->lease.id).error().code() == error_code::lease_not_found);
  CHECK(s.renew(first->lease.id).error().code() == error_code::lease_not_found);
  CHECK(s.get_lease(first->lease.id).error().code() == error_code::lease_not_found);
  CHECK(s.checkout("vm-2", edition::vapp));
  CHECK(s.renew("lse_nonsense").error().code() == error_code::lease_not_found);
  CHECK(s.renew("../../etc").error().code() == error_code::lease_not_found);
}

TEST_CASE("revoke ends a lease and is recorded as lease.revoked", "[storage][release]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 1, std::nullopt)));
  auto lease = s.checkout("vm-1", edition::vapp)->lease;
  REQUIRE(s.release(lease.id, release_kind::revoked));
  auto revoked = s.events_of_type("lease.revoked");
  REQUIRE(revoked.size() == 1);
  CHECK(revoked[0].lease_id == lease.id);
  CHECK(s.events_of_type("lease.released").empty());
}

TEST_CASE("idempotent checkout returns the same lease and replaces the self-description",
          "[storage][checkout]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vws, 1, std::nullopt)));
  auto first = s.checkout("vm-1", edition::vws);
  REQUIRE(first);
  s.clock().advance(100);
  auto again_request = checkout_of("vm-1", edition::vws);
  again_request.hostname = "renamed";
  again_request.labels = {{"k", "v"}};
  auto again = s.checkout(again_request);
  REQUIRE(again);
  CHECK_FALSE(again->created);
  CHECK(again->lease.id == first->lease.id);
  CHECK(again->lease.expires_at == t0 + 100 + 3600);
  auto fetched = s.get_lease(first->lease.id);
  CHECK(fetched->hostname == "renamed");
  CHECK(fetched->labels.at("k") == "v");
  CHECK(s.get_pool("p")->used == 1);
}

TEST_CASE("a vWS lease satisfies a later vPC request (upgrade rule)", "[storage][checkout]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("ws", edition::vws, 1, std::nullopt)));
  auto first = s.checkout("vm-1", edition::vws);
  REQUIRE(first);
  auto again = s.checkout("vm-1", edition::vpc);
  REQUIRE(again);
  CHECK_FALSE(again->created);
  CHECK(again->lease.id == first->lease.id);
  CHECK(again->lease.requested_edition == edition::vpc);
  CHECK(again->lease.granted_edition == edition::vws);
}

TEST_CASE("switching edition grants a new lease and releases the old in one step",
          "[storage][checkout]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("app", edition::vapp, 1, std::nullopt)));
  REQUIRE(s.create_pool(pool_of("ws", edition::vws, 1, std::nullopt)));
  auto app = s.checkout("vm-1", edition::vapp);
  REQUIRE(app);

  SECTION("with a free seat the old lease is released") {
    auto ws = s.checkout("vm-1", edition::vws);
    REQUIRE(ws);
    CHECK(ws->created);
    CHECK(ws->lease.id != app->lease.id);
    CHECK(s.get_lease(app->lease.id).error().code() == error_code::lease_not_found);
    CHECK(s.get_pool("app")->used == 0);
    CHECK(s.get_pool("ws")->used == 1);
  }
  SECTION("without a free seat the old lease stays") {
    REQUIRE(s.checkout("vm-2", edition::vws));
    auto ws = s.checkout("vm-1", edition::vws);
    CHECK(ws.error().code() == error_code::no_seat_available);
    CHECK(s.get_lease(app->lease.id));
    CHECK(s.get_pool("app")->used == 1);
  }
}

TEST_CASE("pool choice: exact edition first, soonest expiry, perpetual last",
          "[storage][checkout]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("ws-soon", edition::vws, 1, t0 + 1000)));
  REQUIRE(s.create_pool(pool_of("pc-perpetual", edition::vpc, 1, std::nullopt)));
  REQUIRE(s.create_pool(pool_of("pc-late", edition::vpc, 1, t0 + 9000)));
  REQUIRE(s.create_pool(pool_of("pc-soon", edition::vpc, 1, t0 + 5000)));

  CHECK(s.checkout("a", edition::vpc)->lease.pool_id == "pc-soon");
  CHECK(s.checkout("b", edition::vpc)->lease.pool_id == "pc-late");
  CHECK(s.checkout("c", edition::vpc)->lease.pool_id == "pc-perpetual");
  auto upgraded = s.checkout("d", edition::vpc);
  CHECK(upgraded->lease.pool_id == "ws-soon");
  CHECK(upgraded->lease.granted_edition == edition::vws);
  CHECK(upgraded->lease.expires_at == t0 + 1000);
  CHECK(s.checkout("e", edition::vpc).error().code() == error_code::no_seat_available);
}

TEST_CASE("no upgrade when upgrades are disabled", "[storage][checkout]") {
  store_under_test s;
  s.options().leases.allow_upgrade = false;
  s.reopen();
  REQUIRE(s.create_pool(pool_of("ws", edition::vws, 1, std::nullopt)));
  CHECK(s.checkout("a", edition::vpc).error().code() == error_code::no_pool_for_edition);
}

TEST_CASE("error precedence: no pool, then expired, then full", "[storage][checkout]") {
  store_under_test s;
  CHECK(s.checkout("a", edition::vcs).error().code() == error_code::no_pool_for_edition);
  REQUIRE(s.create_pool(pool_of("cs-old", edition::vcs, 5, t0 + 10)));
  auto future = pool_of("cs-future", edition::vcs, 5, t0 + 9000);
  future.starts_at = t0 + 5000;
  REQUIRE(s.create_pool(future));
  s.clock().advance(10);
  CHECK(s.checkout("a", edition::vcs).error().code() == error_code::license_expired);
  REQUIRE(s.create_pool(pool_of("cs-full", edition::vcs, 0, t0 + 9000)));
  CHECK(s.checkout("a", edition::vcs).error().code() == error_code::no_seat_available);

  auto denied = s.events_of_type("lease.denied");
  REQUIRE(denied.size() == 3);
  CHECK(denied[0].detail["reason"] == "no_pool_for_edition");
  CHECK(denied[1].detail["reason"] == "license_expired");
  CHECK(denied[2].detail["requested_edition"] == "vCS");
}

TEST_CASE("a lease of an expired pool cannot be renewed: license_expired", "[storage][expiry]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vapp, 1, t0 + 600)));
  auto lease = s.checkout("vm-1", edition::vapp)->lease;
  CHECK(lease.expires_at == t0 + 600);
  s.clock().advance(600);
  CHECK(s.renew(lease.id).error().code() == error_code::license_expired);
  CHECK(s.get_lease(lease.id).error().code() == error_code::lease_not_found);
  CHECK(s.checkout("vm-1", edition::vapp).error().code() == error_code::license_expired);
  // After the sweeper removed the lease, the answer is still license_expired.
  REQUIRE(s.wait_for_events("lease.expired", 1) == 1);
  CHECK(s.renew(lease.id).error().code() == error_code::license_expired);
  s.reopen();
  CHECK(s.renew(lease.id).error().code() == error_code::license_expired);
}

TEST_CASE("a lease without a self-description answers the same on renew, get and after reopen",
          "[storage][renew]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vws, 2, std::nullopt)));
  auto bare = checkout_of("vm-1", edition::vws);
  bare.hostname.reset();
  auto lease = s.checkout(bare)->lease;
  CHECK_FALSE(lease.hostname);
  CHECK_FALSE(lease.client_clock_skew_seconds);

  auto renewed = s.renew(lease.id);
  REQUIRE(renewed);
  CHECK_FALSE(renewed->hostname);
  CHECK_FALSE(renewed->vgpu_profile);
  CHECK(renewed->labels.empty());
  CHECK_FALSE(renewed->client_clock_skew_seconds);

  // A renew with client_time records the skew; later answers keep it.
  s.clock().advance(10);
  protocol::renew_request with_time;
  with_time.client_time = t0 + 10 + 7;
  auto skewed = await<protocol::lease>(
      [&](auto done) { s.get().renew(lease.id, with_time, std::move(done)); });
  REQUIRE(skewed);
  CHECK(skewed->client_clock_skew_seconds == 7);
  CHECK(s.renew(lease.id)->client_clock_skew_seconds == 7);
  CHECK(s.get_lease(lease.id)->client_clock_skew_seconds == 7);

  // A second lease, bare, and one checked out again with a hostname.
  auto other = s.checkout("vm-2", edition::vws)->lease;
  auto bare_two = checkout_of("vm-3", edition::vws);
  bare_two.hostname.reset();
  REQUIRE(s.release(other.id));
  auto plain = s.checkout(bare_two)->lease;
  auto described = checkout_of("vm-3", edition::vws);
  described.labels.emplace("team", "cad");
  auto again = s.checkout(described);
  REQUIRE(again);
  CHECK_FALSE(again->created);
  CHECK(again->lease.hostname == "host-vm-3");
  CHECK(s.renew(plain.id)->labels.at("team") == "cad");

  s.reopen();
  CHECK(s.renew(lease.id)->client_clock_skew_seconds == 7);
  CHECK(s.get_lease(plain.id)->hostname == "host-vm-3");
  CHECK(s.get_lease(plain.id)->labels.at("team") == "cad");
}

TEST_CASE("hot lease events carry their detail fields", "[storage][events]") {
  store_under_test s;
  REQUIRE(s.create_pool(pool_of("p", edition::vws, 2, std::nullopt)));
  auto lease = s.checkout("vm-1", edition::vpc)->lease;
  s.clock().advance(5);
  REQUIRE(s.renew(lease.id));
  REQUIRE(s.checkout("vm-1", edition::vpc));
  REQUIRE(s.release(lease.id));
  const auto expires = protocol::format_rfc3339(t0 + 5 + 3600);

  auto granted = s.events_of_type("lease.granted");
  REQUIRE(granted.size() == 1);
  CHECK(granted[0].detail == nlohmann::json{{"expires_at", protocol::format_rfc3339(t0 + 3600)},
                                            {"requested_edition", "vPC"},
                                            {"upgraded", true}});
  auto renewed = s.events_of_type("lease.renewed");
  REQUIRE(renewed.size() == 2);
  CHECK(renewed[0].detail == nlohmann::json{{"expires_at", expires}});
  CHECK(renewed[1].detail ==
        nlohmann::json{{"expires_at", expires}, {"requested_edition", "vPC"}, {"via", "checkout"}});
  auto released = s.events_of_type("lease.released");
  REQUIRE(released.size() == 1);
  CHECK(released[0].detail == nlohmann::json{{"by", "client"}});
  CHECK(released[0].lease_id == lease.id);
  CHECK(released[0].pool_id == "p");
}
