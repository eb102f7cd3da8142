#include "agent/lease_state.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "agent/instance_lock.h"
#include "agent/status_command.h"
#include "tests/support/temp_dir.h"

using namespace vgls::agent;
using vgls::testing::temp_dir;

namespace {

held_lease sample_lease() {
  held_lease held;
  held.server = "http://127.0.0.1:7070";
  held.lease.id = "lse_abcdefghijklmnopqrstuvwxyz012345";
  held.lease.client_id = "vm-1";
  held.lease.requested_edition = vgls::protocol::edition::vpc;
  held.lease.granted_edition = vgls::protocol::edition::vws;
  held.lease.pool_id = "trial-vws";
  held.lease.issued_at = 1'700'000'000;
  held.lease.renewed_at = 1'700'000'000;
  held.lease.expires_at = 1'700'086'400;
  held.lease.ttl_seconds = 86400;
  held.lease.renew_after_seconds = 12960;
  held.lease.hostname = "vdi-017";
  held.valid_until = 1'700'086'401;
  held.next_renewal_at = 1'700'012'961;
  return held;
}

}  // namespace

TEST_CASE("no state file means no lease", "[state]") {
  temp_dir dir;
  const lease_state state(dir / "state");
  auto loaded = state.load();
  REQUIRE(loaded);
  CHECK_FALSE(loaded->has_value());
  CHECK(state.clear());
}

TEST_CASE("the state file round-trips the lease, with the server and schedule", "[state]") {
  temp_dir dir;
  const lease_state state(dir / "state" / "nested");
  const auto held = sample_lease();
  REQUIRE(state.save(held));

  auto loaded = state.load();
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  const auto& back = **loaded;
  CHECK(back.server == held.server);
  CHECK(back.lease.id == held.lease.id);
  CHECK(back.lease.client_id == "vm-1");
  CHECK(back.lease.granted_edition == vgls::protocol::edition::vws);
  CHECK(back.lease.requested_edition == vgls::protocol::edition::vpc);
  CHECK(back.lease.expires_at == held.lease.expires_at);
  CHECK(back.valid_until == held.valid_until);
  CHECK(back.next_renewal_at == held.next_renewal_at);

  // Readable by people and scripts too.
  const auto text = vgls::testing::read_file(state.file());
  CHECK_THAT(text, Catch::Contains("\"lease_id\"") && Catch::Contains("\"next_renewal_at\""));

  struct stat info {};
  REQUIRE(::stat(state.file().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  REQUIRE(state.clear());
  CHECK_FALSE(state.load()->has_value());
}

TEST_CASE("saving replaces the file and leaves no temporary behind", "[state]") {
  temp_dir dir;
  const lease_state state(dir.path());
  auto held = sample_lease();
  REQUIRE(state.save(held));
  held.lease.id = "lse_ZYXWVUTSRQPONMLKJIHGFEDCBA9876";
  REQUIRE(state.save(held));
  CHECK((**state.load()).lease.id == held.lease.id);
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("a damaged state file is an error, not a lease", "[state]") {
  temp_dir dir;
  const lease_state state(dir.path());
  vgls::testing::write_file(state.file(), "{\"lease_id\": ");
  CHECK_FALSE(state.load());
  vgls::testing::write_file(state.file(), "{\"server\": \"http://x:1\"}");
  CHECK_FALSE(state.load());
}

TEST_CASE("status: exit 0 with a live lease, 1 without", "[state][status]") {
  temp_dir dir;
  std::ostringstream out;
  CHECK(show_status(dir.path(), false, out) == 1);
  CHECK_THAT(out.str(), Catch::Contains("not licensed"));

  auto held = sample_lease();
  const auto now = vgls::protocol::system_now();
  held.valid_until = now + 3600;
  held.next_renewal_at = now + 600;
  REQUIRE(lease_state(dir.path()).save(held));

  std::ostringstream text;
  CHECK(show_status(dir.path(), false, text) == 0);
  CHECK_THAT(text.str(), Catch::Contains(held.lease.id) && Catch::Contains("vWS") &&
                             Catch::Contains("http://127.0.0.1:7070") &&
                             Catch::Contains("next renewal"));

  std::ostringstream json;
  CHECK(show_status(dir.path(), true, json) == 0);
  const auto j = nlohmann::json::parse(json.str());
  CHECK(j["licensed"] == true);
  CHECK(j["lease_id"] == held.lease.id);
  CHECK(j["edition"] == "vWS");
  CHECK(j["server"] == "http://127.0.0.1:7070");

  held.valid_until = now - 1;
  REQUIRE(lease_state(dir.path()).save(held));
  std::ostringstream ended;
  CHECK(show_status(dir.path(), true, ended) == 1);
  CHECK(nlohmann::json::parse(ended.str())["licensed"] == false);
}

TEST_CASE("one run per state dir: the second lock attempt fails until the first is gone",
          "[state][lock]") {
  temp_dir dir;
  auto first = instance_lock::acquire(dir / "state");
  REQUIRE(first);
  auto second = instance_lock::acquire(dir / "state");
  REQUIRE_FALSE(second);
  CHECK_THAT(second.error().message(), Catch::Contains("another vgls-agent run"));
  first.value().reset();
  CHECK(instance_lock::acquire(dir / "state"));
}
