// /metrics of a real vglsd: the pool series with their kind, whether each pool grants, the sums per
// edition over active pools, and the build's version.
#include <catch2/catch.hpp>

#include "protocol/time.h"
#include "tests/server/e2e_steps.h"

using namespace vgls::testing;
using nlohmann::json;

TEST_CASE("metrics: pool kind, active pools, edition sums, build info", "[e2e][metrics]") {
  vglsd_process server(configured(no_trial()));
  auto admin = server.admin_client();
  const auto now = vgls::protocol::system_now();
  REQUIRE(create_pool(*admin, {{"id", "ws-sub"},
                               {"edition", "vWS"},
                               {"seats", 4},
                               {"kind", "subscription"},
                               {"days", 30}})
              .status == 201);
  REQUIRE(create_pool(*admin,
                      {{"id", "ws-perp"}, {"edition", "vWS"}, {"seats", 2}, {"kind", "perpetual"}})
              .status == 201);
  // Starts in ten days: listed, but it grants nothing yet and adds no seats.
  REQUIRE(create_pool(*admin, {{"id", "ws-later"},
                               {"edition", "vWS"},
                               {"seats", 8},
                               {"kind", "trial"},
                               {"starts_at", vgls::protocol::format_rfc3339(now + 10 * 86400)},
                               {"expires_at", vgls::protocol::format_rfc3339(now + 40 * 86400)}})
              .status == 201);
  auto c = server.client();
  REQUIRE(checkout(*c, "vm-1", "vWS").status == 201);
  REQUIRE(checkout(*c, "vm-2", "vWS").status == 201);

  auto scrape = call(*server.client(), "GET", "/metrics");
  REQUIRE(scrape.status == 200);
  const auto& text = scrape.body;
  auto has = [&](const std::string& line) {
    INFO(line);
    return text.find(line) != std::string::npos;
  };
  CHECK(has("vgls_pool_seats{pool=\"ws-sub\",edition=\"vWS\",kind=\"subscription\"} 4\n"));
  CHECK(has("vgls_pool_seats{pool=\"ws-perp\",edition=\"vWS\",kind=\"perpetual\"} 2\n"));
  CHECK(has("vgls_pool_active{pool=\"ws-sub\",edition=\"vWS\",kind=\"subscription\"} 1\n"));
  CHECK(has("vgls_pool_active{pool=\"ws-perp\",edition=\"vWS\",kind=\"perpetual\"} 1\n"));
  CHECK(has("vgls_pool_active{pool=\"ws-later\",edition=\"vWS\",kind=\"trial\"} 0\n"));
  CHECK(has("# TYPE vgls_pool_active gauge\n"));
  CHECK(has("# TYPE vgls_edition_seats gauge\n"));
  CHECK(has("# TYPE vgls_edition_used gauge\n"));
  CHECK(has("vgls_edition_seats{edition=\"vWS\"} 6\n"));
  CHECK(has("vgls_edition_used{edition=\"vWS\"} 2\n"));
  CHECK(has("vgls_edition_seats{edition=\"vPC\"} 0\n"));
  CHECK(has("# TYPE vgls_build_info gauge\n"));
  CHECK(has("vgls_build_info{version=\"" VGLS_VERSION "\"} 1\n"));
  // Both leases landed in the active pools, split as the engine chose.
  auto used_sub = used_of(*admin, "ws-sub");
  auto used_perp = used_of(*admin, "ws-perp");
  CHECK(used_sub + used_perp == 2);
  CHECK(has("vgls_pool_used{pool=\"ws-sub\",edition=\"vWS\",kind=\"subscription\"} " +
            std::to_string(used_sub) + "\n"));
}
