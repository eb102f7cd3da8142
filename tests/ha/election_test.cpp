// One active node among three: only it grants seats; the standbys say who serves (SPEC §7).
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/ha/ha_cluster.h"
#include "tests/server/e2e_steps.h"
#include "tests/support/test_backend.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

TEST_CASE("only the active node grants; no pool goes over while checkouts hit every node", "[ha]") {
  fresh_postgres_database database;
  ha_cluster cluster(database.dsn());
  const auto active = cluster.wait_for_active(10s);
  REQUIRE(active == 0u);
  auto admin = cluster.node(0).admin_client();
  REQUIRE(
      create_pool(*admin, {{"id", "p"}, {"edition", "vWS"}, {"seats", 40}, {"kind", "perpetual"}})
          .status == 201);

  // Four threads, each with a client per node, 30 checkouts each, round robin over the nodes.
  std::atomic<int> granted{0}, full{0}, standby_answers{0}, wrong{0};
  std::atomic<int> standby_without_header{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::unique_ptr<vgls::client::http_client>> clients;
      for (std::size_t n = 0; n < cluster.size(); ++n)
        clients.push_back(cluster.node(n).client());
      for (int i = 0; i < 30; ++i) {
        const std::size_t n = static_cast<std::size_t>(i) % cluster.size();
        auto r = checkout(*clients[n], "vm-" + std::to_string(t) + "-" + std::to_string(i), "vWS");
        if (n == 0 && r.status == 201) {
          ++granted;
        } else if (n == 0 && r.status == 409 && error_code_of(r) == "no_seat_available") {
          ++full;
        } else if (n != 0 && r.status == 503 && error_code_of(r) == "unavailable") {
          ++standby_answers;
          if (r.raw.header("Vgls-Active-Node") != cluster.node(0).url() ||
              r.raw.header("Retry-After") != "1") {
            ++standby_without_header;
          }
        } else {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads)
    thread.join();

  CHECK(wrong == 0);
  CHECK(standby_without_header == 0);
  CHECK(granted == 40);
  CHECK(granted + full == 40);
  CHECK(standby_answers == 80);
  CHECK(used_of(*admin, "p") == 40);
  CHECK(cluster.active_count() == 1);
}

TEST_CASE("a standby answers health, its role, metrics and a page naming the active node", "[ha]") {
  fresh_postgres_database database;
  ha_cluster cluster(database.dsn(), 2);
  REQUIRE(cluster.wait_for_active(10s) == 0u);
  auto& standby = cluster.node(1);
  auto anonymous = standby.client();

  auto health = call_json(*anonymous, "GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == nlohmann::json{{"status", "ok"}, {"role", "standby"}});
  auto active_health = call_json(*anonymous, "GET", "/healthz/active");
  CHECK(active_health.status == 503);
  CHECK(active_health.raw.header("Vgls-Active-Node") == cluster.node(0).url());
  auto on_active = call_json(*cluster.node(0).client(), "GET", "/healthz");
  CHECK(on_active.body == nlohmann::json{{"status", "ok"}, {"role", "active"}});

  auto server = call_json(*standby.admin_client(), "GET", "/v1/server");
  CHECK(server.status == 503);
  CHECK(error_code_of(server) == "unavailable");
  CHECK_THAT(server.body["error"].value("message", ""), Catch::Contains(cluster.node(0).url()));
  auto info = call_json(*cluster.node(0).admin_client(), "GET", "/v1/server");
  REQUIRE(info.status == 200);
  CHECK(info.body["storage_backend"] == "postgres");
  CHECK(info.body["node"]["role"] == "active");
  CHECK(info.body["node"]["advertise_url"] == cluster.node(0).url());

  auto page = call(*anonymous, "GET", "/");
  CHECK(page.status == 503);
  CHECK(page.header("Content-Type").find("text/html") == 0);
  CHECK_THAT(page.body, Catch::Contains(cluster.node(0).url()));

  auto metrics = call(*anonymous, "GET", "/metrics");
  CHECK(metrics.status == 200);
  CHECK_THAT(metrics.body, Catch::Contains("vgls_node_active 0"));
  CHECK_THAT(call(*cluster.node(0).client(), "GET", "/metrics").body,
             Catch::Contains("vgls_node_active 1"));
}
