// The clock turned back across a restart (SPEC §1 rule 6): vglsd run under faketime ten days
// ahead, then started at the real time, keeps deciding by the high-water time, says so on
// /v1/server, and keeps the clock.rollback event (at the high-water time, not at 0, so that
// retention does not delete it at once).
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "protocol/time.h"
#include "tests/faults/fault_support.h"
#include "tests/server/e2e_steps.h"

using namespace vgls::testing;
namespace protocol = vgls::protocol;
using namespace std::chrono_literals;

namespace {

std::optional<std::string> libfaketime() {
  for (const char* path : {"/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
                           "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
                           "/usr/lib/faketime/libfaketime.so.1"}) {
    if (std::filesystem::exists(path)) {
      return std::string(path);
    }
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE(
    "the clock turned back ten days across a restart: rollback shown, event kept, "
    "expiry by the high-water time",
    "[faults][clock][sqlite-only]") {
  const auto faketime = libfaketime();
  VGLS_SKIP_UNLESS(faketime, "libfaketime is not installed (Debian's faketime package)");
  temp_dir shared("vgls-clock");
  const auto data_dir = shared / "data";
  protocol::unix_seconds ahead_time = 0;
  std::string lease_id;
  {
    vglsd_options options = configured("", data_dir);
    options.backend = test_backend::sqlite;
    options.env = {{"LD_PRELOAD", *faketime},
                   {"FAKETIME", "+10d"},
                   {"FAKETIME_DONT_FAKE_MONOTONIC", "1"},
                   {"FAKETIME_NO_CACHE", "1"}};
    vglsd_process ahead(options);
    auto facts = call_json(*ahead.admin_client(), "GET", "/v1/server");
    REQUIRE(facts.status == 200);
    ahead_time = *protocol::parse_rfc3339(facts.body["time"].get<std::string>());
    REQUIRE(ahead_time > std::time(nullptr) + 9 * 86400);
    auto granted = checkout(*ahead.client(), "vm-ahead", "vWS");
    REQUIRE(granted.status == 201);
    lease_id = granted.body["lease"]["id"].get<std::string>();
    REQUIRE(ahead.terminate() == 0);
  }
  vglsd_options options = configured("", data_dir);
  options.backend = test_backend::sqlite;
  vglsd_process now(options);
  auto admin = now.admin_client();
  auto facts = call_json(*admin, "GET", "/v1/server");
  REQUIRE(facts.status == 200);
  CHECK(facts.body["clock_rollback"] == true);
  CHECK(*protocol::parse_rfc3339(facts.body["clock_high_water"].get<std::string>()) >= ahead_time);
  // Past the first housekeeping and retention passes, which run at once after a start.
  std::this_thread::sleep_for(2500ms);
  auto events = call_json(*admin, "GET", "/v1/events?type=clock.rollback");
  REQUIRE(events.status == 200);
  REQUIRE(events.body["events"].size() == 1);
  const auto& event = events.body["events"][0];
  CHECK(*protocol::parse_rfc3339(event["at"].get<std::string>()) >= ahead_time);
  CHECK(event["detail"]["behind_seconds"].get<std::int64_t>() > 9 * 86400);
  // Expiry keeps the later time: the lease granted "ten days ahead" has not grown longer.
  auto lease = call_json(*now.client(), "GET", "/v1/leases/" + lease_id);
  REQUIRE(lease.status == 200);
  CHECK(lease.body["lease"]["ttl_seconds"].get<std::int64_t>() <= 86400);
  CHECK_THAT(now.log(), Catch::Contains("behind the latest time"));
}
