// Nodes with different clocks agree: the active node decides by the database server's clock.
#include <catch2/catch.hpp>

#include "protocol/time.h"
#include "tests/ha/ha_cluster.h"
#include "tests/server/e2e_steps.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

// libfaketime from Debian's faketime package, as the node's clock two days ahead.
std::map<std::string, std::string> two_days_ahead() {
  return {{"LD_PRELOAD", VGLS_LIBFAKETIME},
          {"FAKETIME", "+2d"},
          {"FAKETIME_DONT_FAKE_MONOTONIC", "1"},
          {"FAKETIME_NO_CACHE", "1"}};
}

std::int64_t seconds_from_now(const std::string& rfc3339) {
  return *vgls::protocol::parse_rfc3339(rfc3339) - vgls::protocol::system_now();
}

}  // namespace

TEST_CASE("a node whose clock is two days ahead takes over and keeps the database's time",
          "[ha][clock]") {
  if (std::string(VGLS_LIBFAKETIME).empty()) {
    FAIL("libfaketime is not installed (Debian package faketime; scripts/install-deps.sh)");
  }
  fresh_postgres_database database;
  vglsd_options options;
  options.backend = test_backend::postgres;
  options.postgres_dsn = database.dsn();
  options.config_toml = ha_node_config();
  vglsd_process honest(options);
  options.env = two_days_ahead();
  vglsd_process ahead(options);
  REQUIRE(call_json(*honest.client(), "GET", "/healthz/active").status == 200);
  REQUIRE(create_pool(*honest.admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", 10}, {"kind", "perpetual"}})
              .status == 201);
  auto before = checkout(*honest.client(), "vm-1", "vWS");
  REQUIRE(before.status == 201);

  honest.kill9();
  REQUIRE(wait_until(
      [&] { return call_json(*ahead.client(), "GET", "/healthz/active").status == 200; }, 30s));
  auto granted = checkout(*ahead.client(), "vm-2", "vWS");
  REQUIRE(granted.status == 201);
  // Issued by the database's clock (now), not the node's (two days on).
  CHECK(std::abs(seconds_from_now(granted.body["lease"]["issued_at"])) < 120);
  auto info = call_json(*ahead.admin_client(), "GET", "/v1/server");
  CHECK(std::abs(seconds_from_now(info.body["time"])) < 120);
  CHECK(info.body["clock_rollback"] == false);
  // The lease from before keeps its expiry: it does not jump when the active node changes.
  const std::string first_id = before.body["lease"]["id"];
  auto seen = call_json(*ahead.client(), "GET", "/v1/leases/" + first_id);
  CHECK(seen.body["lease"]["expires_at"] == before.body["lease"]["expires_at"]);
  // It still renews, and ends by the same clock.
  auto renewed = call_json(*ahead.client(), "POST", "/v1/leases/" + first_id + "/renew");
  CHECK(renewed.status == 200);
  CHECK(seconds_from_now(renewed.body["lease"]["expires_at"]) < 86400 + 120);
}
