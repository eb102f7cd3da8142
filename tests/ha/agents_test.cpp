// Real agents on a three-node installation keep their seats across takeovers.
#include <catch2/catch.hpp>

#include "tests/agent/agent_fixture.h"
#include "tests/ha/ha_cluster.h"
#include "tests/server/e2e_steps.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

TEST_CASE("agents keep the same leases across two takeovers", "[ha][agent]") {
  fresh_postgres_database database;
  ha_cluster cluster(database.dsn(), 3, "[leases]\nduration = \"10s\"\nrenew_fraction = 0.25\n");
  auto active = cluster.wait_for_active(10s);
  REQUIRE(active == 0u);
  REQUIRE(create_pool(*cluster.node(0).admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", 10}, {"kind", "perpetual"}})
              .status == 201);

  // The agents list the nodes in different orders; those starting at a standby move on at once.
  auto urls = cluster.urls();
  agent_process first(agent_for(urls, "vm-a"));
  std::rotate(urls.begin(), urls.begin() + 1, urls.end());
  agent_process second(agent_for(urls, "vm-b"));
  first.start();
  second.start();
  REQUIRE(
      wait_until([&] { return active_lease_id(cluster.node(0), "vm-a").has_value(); }, generous));
  REQUIRE(
      wait_until([&] { return active_lease_id(cluster.node(0), "vm-b").has_value(); }, generous));
  const auto lease_a = *active_lease_id(cluster.node(0), "vm-a");
  const auto lease_b = *active_lease_id(cluster.node(0), "vm-b");

  for (int takeover = 0; takeover < 2; ++takeover) {
    const std::size_t killed = *active;
    cluster.node(killed).kill9();
    active = cluster.wait_for_active(15s);
    REQUIRE(active.has_value());
    auto& now_active = cluster.node(*active);
    // Both agents renew their leases (the same ids) with the new active node.
    const auto renewed_after = [&](const std::string& client_id) {
      const auto leases = active_leases(now_active, client_id);
      return leases.empty() ? std::string() : leases.front()["renewed_at"].get<std::string>();
    };
    const auto a_before = renewed_after("vm-a");
    const auto b_before = renewed_after("vm-b");
    REQUIRE(wait_until([&] { return renewed_after("vm-a") != a_before; }, generous));
    REQUIRE(wait_until([&] { return renewed_after("vm-b") != b_before; }, generous));
    CHECK(active_lease_id(now_active, "vm-a") == lease_a);
    CHECK(active_lease_id(now_active, "vm-b") == lease_b);
    CHECK(pool_used(now_active, "p") == 2);
    cluster.node(killed).start();
  }
  CHECK(first.status().value("licensed", false));
  CHECK(second.status().value("licensed", false));
  CHECK(first.stop() == 0);
  CHECK(second.stop() == 0);
  CHECK(pool_used(cluster.node(*active), "p") == 0);
}
