// vgls-agent run when things go wrong: the server starts late, a server is down, the server
// restarts, the admin revokes, the agent is killed.
#include <signal.h>

#include <catch2/catch.hpp>

#include "protocol/time.h"
#include "tests/agent/agent_fixture.h"

using namespace vgls::testing;

namespace {

std::string lease_field(const vglsd_process& server, const std::string& client_id,
                        const std::string& field) {
  const auto leases = active_leases(server, client_id);
  return leases.empty() ? std::string() : leases.front()[field].get<std::string>();
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("agent started before the server is licensed once the server starts", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config(), false));
  agent_process agent(agent_for({server.url()}, "vm-early"));
  agent.start();
  // It is trying, and not licensed.
  REQUIRE(wait_until([&] { return count(agent.log(), "checkout from") >= 2; }, generous));
  CHECK(agent.command("status").exit_status == 1);

  server.start();
  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-early").has_value(); }, generous));
  REQUIRE(wait_until([&] { return agent.command("status").exit_status == 0; }, generous));
  CHECK(agent.stop() == 0);
}

TEST_CASE("agent fails over to the second server when the first is down", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config()));
  const std::string dead = "http://127.0.0.1:" + std::to_string(free_port());
  agent_process agent(agent_for({dead, server.url()}, "vm-failover"));
  agent.start();

  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-failover").has_value(); }, generous));
  REQUIRE(wait_until([&] { return agent.status().value("licensed", false); }, generous));
  CHECK(agent.status()["server"] == server.url());
  // The failure at the first server was logged with what comes next.
  CHECK_THAT(agent.log(), Catch::Contains(dead) && Catch::Contains("unreachable"));
  CHECK(agent.stop() == 0);
  CHECK_FALSE(active_lease_id(server, "vm-failover"));
}

TEST_CASE("agent keeps renewing the same lease across a server restart", "[e2e]") {
  // Ten-second leases renewed every 2.5 s leave room for the restart.
  vglsd_process server(server_options(fast_leases_config(10)));
  agent_process agent(agent_for({server.url()}, "vm-restart"));
  agent.start();
  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-restart").has_value(); }, generous));
  const auto id = *active_lease_id(server, "vm-restart");

  server.restart();
  const auto restarted_at = vgls::protocol::system_now();
  // A renewal after the restart, of the same lease.
  REQUIRE(wait_until(
      [&] {
        const auto renewed = lease_field(server, "vm-restart", "renewed_at");
        const auto at = vgls::protocol::parse_rfc3339(renewed);
        return at && *at > restarted_at;
      },
      generous));
  CHECK(active_leases(server, "vm-restart").size() == 1);
  CHECK(active_lease_id(server, "vm-restart") == id);
  CHECK(pool_used(server, "trial-vws") == 1);
  CHECK(agent.stop() == 0);
}

TEST_CASE("agent checks out a new lease after the admin revokes its lease", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config()));
  agent_process agent(agent_for({server.url()}, "vm-revoked"));
  agent.start();
  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-revoked").has_value(); }, generous));
  const auto first = *active_lease_id(server, "vm-revoked");

  auto admin = server.admin_client();
  const auto revoked = call(*admin, "DELETE", "/v1/leases/" + first);
  INFO(revoked.body);
  REQUIRE(revoked.status == 204);

  REQUIRE(wait_until(
      [&] {
        const auto now = active_lease_id(server, "vm-revoked");
        return now && *now != first;
      },
      generous));
  CHECK_THAT(agent.log(), Catch::Contains("lease_not_found"));
  REQUIRE(wait_until([&] { return agent.status().value("lease_id", "") != first; }, generous));
  CHECK(agent.stop() == 0);
}

TEST_CASE("agent notices a revoke between renewals by checking its lease", "[e2e]") {
  // Hour-long leases are renewed after 15 minutes: only the lookup can notice the revoke.
  vglsd_process server(server_options(fast_leases_config(3600)));
  auto options = agent_for({server.url()}, "vm-checked");
  options.extra_config = "check_interval = \"1s\"\n";
  agent_process agent(options);
  agent.start();
  REQUIRE(wait_until([&] { return agent.status().value("licensed", false); }, generous));
  const auto first = *active_lease_id(server, "vm-checked");

  auto admin = server.admin_client();
  const auto revoked = call(*admin, "DELETE", "/v1/leases/" + first);
  INFO(revoked.body);
  REQUIRE(revoked.status == 204);

  REQUIRE(wait_until(
      [&] {
        const auto now = active_lease_id(server, "vm-checked");
        return now && *now != first;
      },
      generous));
  const auto log = agent.log();
  CHECK_THAT(log, Catch::Contains("lease " + first + " is no longer held") &&
                      Catch::Contains("revoked") && Catch::Contains("checking out a new seat"));
  // The revoke was noticed, not renewed into: no renewal came before the new lease.
  CHECK(log.find("renewed lease " + first) == std::string::npos);
  REQUIRE(wait_until([&] { return agent.status().value("lease_id", "") != first; }, generous));
  CHECK(agent.status()["lease_id"] == *active_lease_id(server, "vm-checked"));
  CHECK(pool_used(server, "trial-vws") == 1);
  CHECK(agent.stop() == 0);
}

TEST_CASE("a lease check that reaches no server keeps the lease", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config(3600)));
  auto options = agent_for({server.url()}, "vm-offline-check");
  options.extra_config = "check_interval = \"1s\"\n";
  agent_process agent(options);
  agent.start();
  REQUIRE(wait_until([&] { return agent.status().value("licensed", false); }, generous));
  const auto first = *active_lease_id(server, "vm-offline-check");

  server.terminate();
  REQUIRE(wait_until(
      [&] { return agent.log().find("could not check lease " + first) != std::string::npos; },
      generous));
  CHECK(agent.status().value("licensed", false));
  CHECK(agent.status()["lease_id"] == first);

  server.start();
  CHECK(active_lease_id(server, "vm-offline-check") == first);
  CHECK(agent.status()["lease_id"] == first);
  CHECK(agent.stop() == 0);
}

TEST_CASE("agent killed with SIGKILL resumes its lease from the state file", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config(10)));
  agent_process agent(agent_for({server.url()}, "vm-crash"));
  agent.start();
  REQUIRE(wait_until([&] { return agent.status().value("licensed", false); }, generous));
  const auto id = *active_lease_id(server, "vm-crash");

  agent.kill9();
  // The lease is still recorded, and still active on the server.
  CHECK(agent.status()["lease_id"] == id);
  CHECK(active_lease_id(server, "vm-crash") == id);

  agent.start();
  REQUIRE(wait_until([&] { return agent.log().find("renewed lease " + id) != std::string::npos; },
                     generous));
  CHECK_THAT(agent.log(), Catch::Contains("found lease " + id));
  CHECK(active_leases(server, "vm-crash").size() == 1);
  CHECK(active_lease_id(server, "vm-crash") == id);
  CHECK(pool_used(server, "trial-vws") == 1);
  CHECK(agent.stop() == 0);
  CHECK(pool_used(server, "trial-vws") == 0);
}

TEST_CASE("a killed agent's seat comes back when its lease expires", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config(4)));
  agent_process agent(agent_for({server.url()}, "vm-gone"));
  agent.start();
  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-gone").has_value(); }, generous));
  CHECK(pool_used(server, "trial-vws") == 1);

  agent.kill9();
  REQUIRE(wait_until([&] { return !active_lease_id(server, "vm-gone").has_value(); }, generous));
  CHECK(pool_used(server, "trial-vws") == 0);
  // Its state file outlives it, and `status` knows the lease has ended.
  REQUIRE(wait_until([&] { return agent.command("status").exit_status == 1; }, generous));
}

TEST_CASE("with one seat, a second agent waits and is licensed when the first stops", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config(4, false)));
  REQUIRE(create_pool(server, "vws-one", "vWS", 1));
  agent_process first(agent_for({server.url()}, "vm-first"));
  first.start();
  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-first").has_value(); }, generous));

  agent_process second(agent_for({server.url()}, "vm-second"));
  second.start();
  // The second one is refused, says why, and keeps trying.
  REQUIRE(wait_until([&] { return count(second.log(), "no_seat_available") >= 2; }, generous));
  CHECK_FALSE(active_lease_id(server, "vm-second"));
  CHECK(second.command("status").exit_status == 1);

  CHECK(first.stop() == 0);
  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-second").has_value(); }, generous));
  CHECK(pool_used(server, "vws-one") == 1);
  CHECK(second.stop() == 0);
  CHECK(pool_used(server, "vws-one") == 0);
}

TEST_CASE("agent keeps trying through license_expired and is licensed once a pool is added",
          "[e2e]") {
  vglsd_process server(server_options(fast_leases_config(4, false)));
  auto admin = server.admin_client();
  // A pool that ends in a few seconds: the lease ends with it.
  const auto ends = vgls::protocol::system_now() + 3;
  const auto created = call_json(*admin, "POST", "/v1/pools",
                                 {{"id", "vws-ending"},
                                  {"edition", "vWS"},
                                  {"seats", 1},
                                  {"kind", "subscription"},
                                  {"expires_at", vgls::protocol::format_rfc3339(ends)}});
  REQUIRE(created.status == 201);

  agent_process agent(agent_for({server.url()}, "vm-expiring"));
  agent.start();
  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-expiring").has_value(); }, generous));
  // The pool ends; the agent says so loudly and keeps trying.
  REQUIRE(wait_until([&] { return count(agent.log(), "LICENSE EXPIRED") >= 2; }, generous));
  CHECK(agent.running());
  CHECK_FALSE(active_lease_id(server, "vm-expiring"));

  REQUIRE(create_pool(server, "vws-new", "vWS", 1));
  REQUIRE(wait_until([&] { return active_lease_id(server, "vm-expiring").has_value(); }, generous));
  CHECK(active_leases(server, "vm-expiring").front()["pool_id"] == "vws-new");
  CHECK(agent.stop() == 0);
}

TEST_CASE("SIGINT stops the agent like SIGTERM: released, exit 0", "[e2e]") {
  vglsd_process server(server_options(fast_leases_config()));
  agent_process agent(agent_for({server.url()}, "vm-interrupted"));
  agent.start();
  REQUIRE(
      wait_until([&] { return active_lease_id(server, "vm-interrupted").has_value(); }, generous));
  CHECK(agent.stop(generous, SIGINT) == 0);
  CHECK_FALSE(active_lease_id(server, "vm-interrupted"));
}

TEST_CASE("when the granting server dies, the agent moves to the next server", "[e2e]") {
  // Two servers with databases of their own: the second does not know the first one's lease.
  vglsd_process first(server_options(fast_leases_config(4)));
  vglsd_process second(server_options(fast_leases_config(4)));
  agent_process agent(agent_for({first.url(), second.url()}, "vm-moving"));
  agent.start();
  REQUIRE(wait_until([&] { return active_lease_id(first, "vm-moving").has_value(); }, generous));
  CHECK_FALSE(active_lease_id(second, "vm-moving"));

  first.kill9();
  REQUIRE(wait_until([&] { return active_lease_id(second, "vm-moving").has_value(); }, generous));
  REQUIRE(wait_until([&] { return agent.status().value("server", "") == second.url(); }, generous));
  CHECK(agent.status()["licensed"] == true);
  CHECK(agent.stop() == 0);
  CHECK_FALSE(active_lease_id(second, "vm-moving"));
}
