// Real agents on a several-node installation: they keep their seats across takeovers, go
// straight to the active node a standby names, and wait only a second while a takeover runs.
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

namespace {

// How often `text` occurs in `log`.
std::size_t occurrences(const std::string& log, const std::string& text) {
  std::size_t count = 0;
  for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + text.size())) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("an agent sent to a standby goes straight to the active node it names", "[ha][agent]") {
  fresh_postgres_database database;
  ha_cluster cluster(database.dsn(), 3);
  REQUIRE(cluster.wait_for_active(10s) == 0u);
  REQUIRE(create_pool(*cluster.node(0).admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", 10}, {"kind", "perpetual"}})
              .status == 201);

  // Listed first and second are standbys; the first names the active node, listed last.
  agent_process agent(
      agent_for({cluster.node(1).url(), cluster.node(2).url(), cluster.node(0).url()}, "vm-a"));
  agent.start();
  REQUIRE(
      wait_until([&] { return active_lease_id(cluster.node(0), "vm-a").has_value(); }, generous));
  const auto log = agent.log();
  INFO(log);
  CHECK_THAT(log, Catch::Contains("trying " + cluster.node(0).url() + " next"));
  CHECK_THAT(log, !Catch::Contains("checkout from " + cluster.node(2).url()));
  CHECK(agent.stop() == 0);
}

TEST_CASE("while a takeover is under way an agent asks again every second instead of backing off",
          "[ha][agent]") {
  fresh_postgres_database database;
  ha_cluster cluster(database.dsn(), 2);
  REQUIRE(cluster.wait_for_active(10s) == 0u);
  REQUIRE(create_pool(*cluster.node(0).admin_client(),
                      {{"id", "p"}, {"edition", "vWS"}, {"seats", 10}, {"kind", "perpetual"}})
              .status == 201);

  // The active node freezes; until its session ends the standby names it, and this agent knows
  // only the standby. Its backoff would grow to a minute; the standby's answers keep it at 1 s.
  ::kill(cluster.node(0).pid(), SIGSTOP);
  auto options = agent_for({cluster.node(1).url()}, "vm-a");
  options.retry_max_seconds = 60;
  agent_process agent(options);
  agent.start();
  REQUIRE(wait_until(
      [&] { return call_json(*cluster.node(1).client(), "GET", "/healthz/active").status == 200; },
      generous));
  REQUIRE(
      wait_until([&] { return active_lease_id(cluster.node(1), "vm-a").has_value(); }, generous));
  ::kill(cluster.node(0).pid(), SIGCONT);
  const auto log = agent.log();
  INFO(log);
  CHECK_THAT(log, Catch::Contains("names " + cluster.node(0).url() +
                                  " as the active node, which is not among this agent's servers"));
  const auto retries = occurrences(log, "trying again in ");
  CHECK(retries >= 2);
  CHECK(occurrences(log, "trying again in 1.0s") == retries);
  CHECK(agent.stop() == 0);
}
