// vglsd's log under journald (SPEC §13): priority prefixes, refused checkouts as warnings with
// their count, admin changes as notices naming the actor.
#include <catch2/catch.hpp>
#include <sstream>

#include "tests/server/e2e_steps.h"

using namespace vgls::testing;
using nlohmann::json;

namespace {

std::vector<std::string> lines_with(const std::string& log, const std::string& part) {
  std::vector<std::string> found;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find(part) != std::string::npos)
      found.push_back(line);
  }
  return found;
}

}  // namespace

TEST_CASE("under journald, refusals are counted warnings and admin changes name their actor",
          "[e2e][log]") {
  auto options = configured(no_trial());
  options.env["JOURNAL_STREAM"] = "1:1";
  vglsd_process server(std::move(options));
  auto admin = server.admin_client();
  auto c = server.client();
  REQUIRE(
      create_pool(*admin,
                  json{{"id", "design"}, {"edition", "vWS"}, {"seats", 1}, {"kind", "perpetual"}})
          .status == 201);
  REQUIRE(checkout(*c, "vm-1", "vWS").status == 201);
  for (const auto* vm : {"vm-2", "vm-3", "vm-4"}) {
    auto refused = checkout(*c, vm, "vWS");
    REQUIRE(refused.status == 409);
    CHECK(error_code_of(refused) == "no_seat_available");
  }
  REQUIRE(error_code_of(checkout(*c, "vm-5", "vApp")) == "no_pool_for_edition");
  REQUIRE(call_json(*admin, "PATCH", "/v1/pools/design", json{{"seats", 4}}).status == 200);
  server.terminate();
  const std::string log = server.log();

  // Every line carries a priority.
  for (const auto& line : lines_with(log, "]")) {
    INFO(line);
    CHECK(line.size() > 3);
    CHECK(line[0] == '<');
    CHECK(line[2] == '>');
  }
  // Three vWS refusals within the minute: one line, for the first.
  // Refusals are the engine's to report (storage/engine/operator_notices.h): three vWS refusals
  // within the minute make one line, for the first, with its count.
  const auto vws = lines_with(log, "checkout for vWS refused");
  REQUIRE(vws.size() == 1);
  CHECK(vws[0].starts_with("<4>[warning] 1 checkout for vWS refused with no_seat_available"));
  const auto vapp = lines_with(log, "checkout for vApp refused");
  REQUIRE(vapp.size() == 1);
  CHECK(vapp[0].starts_with("<4>[warning] 1 checkout for vApp refused with no_pool_for_edition"));

  const auto added = lines_with(log, "pool design added");
  REQUIRE(added.size() == 1);
  CHECK(added[0] == "<5>[notice] pool design added by admin: 1 seats of vWS");
  const auto changed = lines_with(log, "pool design changed");
  REQUIRE(changed.size() == 1);
  CHECK(changed[0] == "<5>[notice] pool design changed by admin: now 4 seats of vWS");
}
