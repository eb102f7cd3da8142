// `vglsd --check-config` against a real start (SPEC §3, §13 "Config"): every rule a start applies
// to the file, declared pools included, is applied by the check, with the same message naming the
// file, line and key; what a start accepts, the check accepts.
#include <catch2/catch.hpp>

#include "tests/server/e2e_steps.h"

using namespace vgls::testing;
using namespace std::chrono_literals;

namespace {

struct bad_config {
  const char* what;
  std::string toml;
  std::string message;  // what both runs must print, "<file>:<line>: <key>: …"
};

run_result check_config(const std::filesystem::path& file) {
  return run_program({VGLS_VGLSD_BIN, "--config", file.string(), "--check-config"}, 30s);
}

run_result start(const std::filesystem::path& file, const std::filesystem::path& data_dir) {
  return run_program({VGLS_VGLSD_BIN, "--config", file.string(), "--listen",
                      "127.0.0.1:" + std::to_string(free_port()), "--data-dir", data_dir.string()},
                     30s);
}

std::string pool(const std::string& body) {
  return "[trial]\nenabled = false\n\n[[pool]]\n" + body;
}

}  // namespace

TEST_CASE("a declared pool that a start refuses fails --check-config with the same line and key",
          "[e2e][config]") {
  const std::vector<bad_config> cases = {
      {"edition", pool("id = \"p\"\nedition = \"vGPU\"\nseats = 1\nkind = \"perpetual\"\n"),
       "bad.toml:6: pool.edition: \"vGPU\" is not an edition"},
      {"seats out of range",
       pool("id = \"p\"\nedition = \"vWS\"\nseats = 10000001\nkind = \"perpetual\"\n"),
       "bad.toml:7: pool.seats: must be an integer from 0 to 10000000"},
      {"negative seats", pool("id = \"p\"\nedition = \"vWS\"\nseats = -3\nkind = \"perpetual\"\n"),
       "bad.toml:7: pool.seats: must be an integer from 0 to 10000000"},
      {"unparsable expires_at",
       pool("id = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"subscription\"\n"
            "expires_at = \"June 2027\"\n"),
       "bad.toml:9: pool.expires_at: \"June 2027\" is not an RFC 3339 time"},
      {"expires_at without a time zone",
       pool("id = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"subscription\"\n"
            "expires_at = 2027-06-30T00:00:00\n"),
       "bad.toml:9: pool.expires_at: has no time zone"},
      {"end before start",
       pool("id = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"subscription\"\n"
            "starts_at = \"2099-01-01\"\nexpires_at = \"2098-12-31\"\n"),
       "bad.toml:10: pool.expires_at: must be after starts_at"},
      {"a perpetual pool with an end",
       pool("id = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\ndays = 30\n"),
       "bad.toml:9: pool.days: a perpetual pool never expires"},
      {"days out of range",
       pool("id = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"trial\"\ndays = 40000\n"),
       "bad.toml:9: pool.days: must be an integer from 1 to 36500"},
      {"no end for a subscription",
       pool("id = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"subscription\"\n"),
       "bad.toml:4: pool.expires_at: [[pool]] \"p\": a trial or subscription pool needs "
       "expires_at or days"},
      {"an id that is no slug",
       pool("id = \"Main Pool\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\n"),
       "bad.toml:5: pool.id: must match [a-z0-9][a-z0-9._-]{0,62}"},
      {"a missing key", pool("id = \"p\"\nseats = 1\nkind = \"perpetual\"\n"),
       "bad.toml:4: pool.edition: is required in every [[pool]]"},
      {"a duplicate id",
       pool("id = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\n\n[[pool]]\n"
            "id = \"p\"\nedition = \"vPC\"\nseats = 2\nkind = \"perpetual\"\n"),
       "bad.toml:11: pool.id: \"p\" is declared twice (first at line 5)"},
      {"an unknown key",
       pool("id = \"p\"\nedition = \"vWS\"\nseats = 1\nkind = \"perpetual\"\nsets = 4\n"),
       "bad.toml:9: pool.sets: unknown key in [[pool]] (did you mean seats?)"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    temp_dir dir;
    write_file(dir / "bad.toml", c.toml);
    const auto checked = check_config(dir / "bad.toml");
    INFO(checked.output);
    CHECK(checked.exit_status == 1);
    CHECK(checked.output.find((dir / c.message).string()) != std::string::npos);
    CHECK(checked.output.find("the configuration is not valid") != std::string::npos);

    const auto started = start(dir / "bad.toml", dir / "data");
    INFO(started.output);
    CHECK(started.exit_status == 1);
    CHECK(started.output.find((dir / c.message).string()) != std::string::npos);
    CHECK(started.output.find("vglsd did not start") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "data" / "vgls.db"));
  }
}

TEST_CASE("an unknown key in any section names the nearest known key", "[e2e][config]") {
  temp_dir dir;
  write_file(dir / "typo.toml", "[leases]\nduration = \"1h\"\nallow_upgrades = false\n");
  const auto checked = check_config(dir / "typo.toml");
  CHECK(checked.exit_status == 1);
  CHECK(checked.output.find((dir / "typo.toml").string() +
                            ":3: leases.allow_upgrades: unknown key in [leases] (did you mean "
                            "allow_upgrade?); known keys: duration, renew_fraction, "
                            "allow_upgrade") != std::string::npos);
}

TEST_CASE("a declared pool that has ended passes both with a warning, and is not created",
          "[e2e][config]") {
  const std::string toml =
      "[trial]\nenabled = false\n\n[[pool]]\nid = \"old\"\nedition = \"vWS\"\nseats = 5\n"
      "kind = \"subscription\"\nexpires_at = \"2020-06-30\"\n\n[[pool]]\nid = \"current\"\n"
      "edition = \"vWS\"\nseats = 3\nkind = \"subscription\"\nexpires_at = 2099-06-30\n";
  temp_dir dir;
  write_file(dir / "ended.toml", toml);
  const auto checked = check_config(dir / "ended.toml");
  INFO(checked.output);
  CHECK(checked.exit_status == 0);
  CHECK(checked.output.find((dir / "ended.toml").string() +
                            ":9: pool.expires_at: declared pool \"old\" ended at "
                            "2020-06-30T00:00:00Z") != std::string::npos);
  CHECK(checked.output.find("configuration is valid") != std::string::npos);

  vglsd_process server(configured(toml));
  auto admin = server.admin_client();
  CHECK(call_json(*admin, "GET", "/v1/pools/old").status == 404);
  auto current = call_json(*admin, "GET", "/v1/pools/current");
  REQUIRE(current.status == 200);
  CHECK(current.body["pool"]["expires_at"] == "2099-06-30T00:00:00Z");
  CHECK(server.log().find("declared pool old ended at 2020-06-30T00:00:00Z") != std::string::npos);
}

TEST_CASE("a stored pool declared with an end that has passed is left as it is", "[e2e][config]") {
  // Declared and created, a seat taken; then the file's year is mistyped into the past. The
  // start keeps the stored dates, and with them the pool's leases.
  vglsd_process server(configured(
      no_trial("[[pool]]\nid = \"p\"\nedition = \"vWS\"\nseats = 2\nkind = \"subscription\"\n"
               "expires_at = \"2099-06-30\"\n")));
  REQUIRE(checkout(*server.client(), "vm-1", "vWS").status == 201);
  std::string toml = read_file(server.config_file());
  const auto year = toml.find("2099-06-30");
  REQUIRE(year != std::string::npos);
  toml.replace(year, 4, "2009");
  write_file(server.config_file(), toml);
  server.restart();
  auto pool = call_json(*server.admin_client(), "GET", "/v1/pools/p");
  REQUIRE(pool.status == 200);
  CHECK(pool.body["pool"]["expires_at"] == "2099-06-30T00:00:00Z");
  CHECK(pool.body["pool"]["used"] == 1);
  CHECK(server.log().find("declared pool p ended at 2009-06-30T00:00:00Z") != std::string::npos);
}

TEST_CASE("files the configuration names are read as a start reads them", "[e2e][config]") {
  temp_dir dir;
  write_file(dir / "not.pem", "this is not PEM\n");
  const std::string files = "tls_cert = \"" + (dir / "not.pem").string() + "\"\ntls_key = \"" +
                            (dir / "not.pem").string() + "\"\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[server]\ntls_ciphers = \"NO-SUCH-CIPHER\"\n" + files,
       "server.tls_ciphers: \"NO-SUCH-CIPHER\" names no cipher OpenSSL knows"},
      {"[server]\n" + files, "cannot load the TLS certificate " + (dir / "not.pem").string()},
      {"[server]\nsigning_key_file = \"" + (dir / "not.pem").string() + "\"\n",
       (dir / "not.pem").string() + " (server.signing_key_file)"},
  };
  for (const auto& [toml, message] : cases) {
    INFO(toml);
    write_file(dir / "files.toml", toml);
    const auto checked = check_config(dir / "files.toml");
    INFO(checked.output);
    CHECK(checked.exit_status == 1);
    CHECK(checked.output.find(message) != std::string::npos);
    const auto started = start(dir / "files.toml", dir / "data");
    INFO(started.output);
    CHECK(started.exit_status == 1);
    CHECK(started.output.find(message) != std::string::npos);
  }
}
