// Time: lease expiry, pool expiry, and the trial that is created once (SPEC §1).
#include <catch2/catch.hpp>
#include <thread>

#include "protocol/time.h"
#include "tests/server/e2e_steps.h"

using namespace vgls::testing;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("a 2 s lease expires and frees its seat", "[e2e][expiry]") {
  vglsd_process server(configured(no_trial("[leases]\nduration = \"2s\"\nrenew_fraction = 0.5\n")));
  auto admin = server.admin_client();
  auto c = server.client();
  REQUIRE(
      create_pool(*admin, {{"id", "one"}, {"edition", "vWS"}, {"seats", 1}, {"kind", "perpetual"}})
          .status == 201);
  auto lease = checkout(*c, "vm-1", "vWS");
  REQUIRE(lease.status == 201);
  CHECK(lease.body["lease"]["ttl_seconds"] == 2);
  CHECK(lease.body["lease"]["renew_after_seconds"] == 1);
  const std::string id = lease.body["lease"]["id"];
  CHECK(error_code_of(checkout(*c, "vm-2", "vWS")) == "no_seat_available");

  REQUIRE(wait_until([&] { return checkout(*c, "vm-2", "vWS").status == 201; }, 10s));
  CHECK(error_code_of(call_json(*c, "POST", "/v1/leases/" + id + "/renew")) == "lease_not_found");
  CHECK(error_code_of(call_json(*c, "GET", "/v1/leases/" + id)) == "lease_not_found");
}

TEST_CASE("a pool's expiry ends its leases: license_expired", "[e2e][expiry]") {
  vglsd_process server(configured(no_trial()));
  auto admin = server.admin_client();
  auto c = server.client();
  const auto soon = vgls::protocol::format_rfc3339(vgls::protocol::system_now() + 2);
  REQUIRE(create_pool(*admin, {{"id", "short"},
                               {"edition", "vApp"},
                               {"seats", 5},
                               {"kind", "subscription"},
                               {"expires_at", soon}})
              .status == 201);
  auto lease = checkout(*c, "vm-1", "vApp");
  REQUIRE(lease.status == 201);
  CHECK(lease.body["lease"]["expires_at"] == soon);  // never outlives its pool
  const std::string id = lease.body["lease"]["id"];

  REQUIRE(wait_until([&] { return checkout(*c, "vm-2", "vApp").status == 403; }, 10s));
  CHECK(error_code_of(checkout(*c, "vm-2", "vApp")) == "license_expired");
  auto renew = call_json(*c, "POST", "/v1/leases/" + id + "/renew");
  CHECK((error_code_of(renew) == "license_expired" || error_code_of(renew) == "lease_not_found"));
  auto pool = call_json(*admin, "GET", "/v1/pools/short");
  CHECK(pool.body["pool"]["state"] == "expired");
  CHECK(pool.body["pool"]["used"] == 0);
  CHECK(pool.body["pool"]["days_left"] == 0);
}

TEST_CASE("the trial is created once, and not again after deletion and restart", "[e2e][expiry]") {
  vglsd_process server;
  auto admin = server.admin_client();
  auto pools = call_json(*admin, "GET", "/v1/pools");
  REQUIRE(pools.body["pools"].size() == 4);
  for (const auto& p : pools.body["pools"]) {
    CHECK(p["kind"] == "trial");
    CHECK(p["seats"] == 16);
    CHECK(p["days_left"].get<int>() >= 89);  // 90 in the same second
  }
  const auto expires = pools.body["pools"][0]["expires_at"];

  server.restart();
  admin = server.admin_client();
  pools = call_json(*admin, "GET", "/v1/pools");
  REQUIRE(pools.body["pools"].size() == 4);
  CHECK(pools.body["pools"][0]["expires_at"] == expires);  // not extended

  for (auto id : {"trial-vapp", "trial-vpc", "trial-vws", "trial-vcs"}) {
    REQUIRE(call(*admin, "DELETE", std::string("/v1/pools/") + id).status == 204);
  }
  server.restart();
  admin = server.admin_client();
  CHECK(call_json(*admin, "GET", "/v1/pools").body["pools"].empty());
  CHECK(error_code_of(checkout(*server.client(), "vm-1", "vWS")) == "no_pool_for_edition");
}

TEST_CASE("declared pools are created at start and brought in line", "[e2e][expiry]") {
  temp_dir shared;
  const auto pool_toml = [](int seats) {
    return no_trial(
        "[[pool]]\nid = \"vws-main\"\nedition = \"vWS\"\nseats = " + std::to_string(seats) +
        "\nkind = \"subscription\"\nexpires_at = \"2099-06-30T00:00:00Z\"\n");
  };
  {
    vglsd_process server(configured(pool_toml(120), shared / "data"));
    auto pool = call_json(*server.admin_client(), "GET", "/v1/pools/vws-main");
    REQUIRE(pool.status == 200);
    CHECK(pool.body["pool"]["seats"] == 120);
    CHECK(pool.body["pool"]["expires_at"] == "2099-06-30T00:00:00Z");
  }
  vglsd_process server(configured(pool_toml(7), shared / "data"));
  CHECK(call_json(*server.admin_client(), "GET", "/v1/pools/vws-main").body["pool"]["seats"] == 7);
}
