// A vglsd with pools and leases worth looking at, shared by the status page's end-to-end tests:
// a long-lived vWS pool, a vPC pool that expires in 7 days and is full (one more vPC request was
// denied), a perpetual vApp pool, and a lease whose hostname tries to inject markup.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "tests/support/vglsd_process.h"

namespace vgls::testing {

// The hostname a client sends to try to inject an element into the page.
inline constexpr const char* hostile_hostname = "<img src=x onerror=alert(1)>";

inline void populate_status_page_fixture(vglsd_process& server) {
  auto admin = server.admin_client();
  const nlohmann::json pools[] = {
      {{"id", "vws-main"},
       {"edition", "vWS"},
       {"seats", 10},
       {"kind", "subscription"},
       {"days", 200}},
      {{"id", "vpc-soon"}, {"edition", "vPC"}, {"seats", 4}, {"kind", "subscription"}, {"days", 7}},
      {{"id", "vapp-perpetual"}, {"edition", "vApp"}, {"seats", 3}, {"kind", "perpetual"}},
  };
  for (const auto& pool : pools)
    REQUIRE(call_json(*admin, "POST", "/v1/pools", pool).status == 201);

  auto client = server.client();
  auto checkout = [&](const std::string& id, const char* edition, const std::string& hostname) {
    return call_json(*client, "POST", "/v1/leases",
                     {{"client_id", id}, {"edition", edition}, {"hostname", hostname}})
        .status;
  };
  for (int i = 0; i < 3; ++i)
    REQUIRE(checkout("ws-" + std::to_string(i), "vWS", "vdi-ws-" + std::to_string(i)) == 201);
  REQUIRE(checkout("pc-0", "vPC", hostile_hostname) == 201);
  for (int i = 1; i < 4; ++i)
    REQUIRE(checkout("pc-" + std::to_string(i), "vPC", "vdi-pc-" + std::to_string(i)) == 201);
  // Upgrades are off in the fixture's config, so the full vPC pool means a denial.
  REQUIRE(checkout("pc-4", "vPC", "vdi-pc-4") == 409);
}

// Config for the fixture: no trial pools (so the page holds exactly the pools above) and no
// upgrades (so a vPC request cannot spill into vWS).
inline std::string status_page_fixture_config(bool page_public) {
  return std::string("[server]\nstatus_page_public = ") + (page_public ? "true" : "false") +
         "\n[trial]\nenabled = false\n[leases]\nallow_upgrade = false\n";
}

}  // namespace vgls::testing
