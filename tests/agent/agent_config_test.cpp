#include "agent/agent_config.h"

#include <catch2/catch.hpp>

#include "agent/command_line.h"
#include "tests/support/temp_dir.h"

using namespace vgls::agent;

TEST_CASE("an empty config gives the SPEC defaults", "[config]") {
  auto config = parse_agent_config("", "agent.toml");
  REQUIRE(config);
  CHECK(config->servers.empty());
  CHECK(config->client_id == "auto");
  CHECK(config->vgpu_profile == "auto");
  CHECK_FALSE(config->edition);
  CHECK(config->state_dir == "/var/lib/vgls-agent");
  CHECK(config->retry_max_seconds == 60);
}

TEST_CASE("every key of SPEC section 4 is read", "[config]") {
  auto config = parse_agent_config(R"(
servers = ["https://vgls1.example:7070", "https://vgls2.example:7070"]
edition = "vWS"
vgpu_profile = "GRID P40-2Q"
client_id = "vm-17"
client_token_file = "/etc/vgls/client.token"
ca_file = "/etc/vgls/ca.pem"
state_dir = "/tmp/state"
hostname = "vdi-017"
retry_max_seconds = 5
connect_timeout_seconds = 2
request_timeout_seconds = 4
stop_timeout_seconds = 3
log_level = "debug"
[labels]
pool = "finance"
)",
                                   "agent.toml");
  REQUIRE(config);
  CHECK(config->servers ==
        std::vector<std::string>{"https://vgls1.example:7070", "https://vgls2.example:7070"});
  CHECK(config->edition == "vWS");
  CHECK(config->vgpu_profile == "GRID P40-2Q");
  CHECK(config->client_id == "vm-17");
  CHECK(config->client_token_file == "/etc/vgls/client.token");
  CHECK(config->ca_file == "/etc/vgls/ca.pem");
  CHECK(config->state_dir == "/tmp/state");
  CHECK(config->hostname == "vdi-017");
  CHECK(config->labels == vgls::protocol::labels{{"pool", "finance"}});
  CHECK(config->retry_max_seconds == 5);
  CHECK(config->connect_timeout_seconds == 2);
  CHECK(config->request_timeout_seconds == 4);
  CHECK(config->stop_timeout_seconds == 3);
  CHECK(config->log_level == "debug");
}

TEST_CASE("a config error names the file, the line and the key", "[config]") {
  SECTION("wrong type") {
    auto config = parse_agent_config("servers = [\"http://a:1\"]\nretry_max_seconds = \"often\"\n",
                                     "/etc/vgls/agent.toml");
    REQUIRE_FALSE(config);
    CHECK(config.error().field() == "retry_max_seconds");
    CHECK_THAT(config.error().message(),
               Catch::Contains("/etc/vgls/agent.toml:2") && Catch::Contains("retry_max_seconds"));
  }
  SECTION("unknown key, e.g. a typo") {
    auto config = parse_agent_config("server = \"http://a:1\"\n", "agent.toml");
    REQUIRE_FALSE(config);
    CHECK(config.error().field() == "server");
    CHECK_THAT(config.error().message(), Catch::Contains("agent.toml:1"));
  }
  SECTION("TOML syntax") {
    auto config = parse_agent_config("edition = \n", "agent.toml");
    REQUIRE_FALSE(config);
    CHECK_THAT(config.error().message(), Catch::Contains("agent.toml:1"));
  }
  SECTION("out of range") {
    CHECK_FALSE(parse_agent_config("retry_max_seconds = 0", "agent.toml"));
  }
  SECTION("a label that is not a string") {
    CHECK_FALSE(parse_agent_config("[labels]\nrack = 7\n", "agent.toml"));
  }
}

TEST_CASE("check_interval is a duration, 5 minutes by default", "[config]") {
  auto defaults = parse_agent_config("", "agent.toml");
  REQUIRE(defaults);
  CHECK(defaults->check_interval_seconds == 300);
  auto set = parse_agent_config("check_interval = \"30s\"", "agent.toml");
  REQUIRE(set);
  CHECK(set->check_interval_seconds == 30);
  CHECK(
      parse_agent_config("check_interval = \"1d\"", "agent.toml").value().check_interval_seconds ==
      86400);
  for (const char* bad : {"check_interval = 300", "check_interval = \"often\"",
                          "check_interval = \"0s\"", "check_interval = \"2d\""}) {
    INFO(bad);
    auto config = parse_agent_config(bad, "agent.toml");
    REQUIRE_FALSE(config);
    CHECK(config.error().field() == "check_interval");
    CHECK_THAT(config.error().message(),
               Catch::Contains("agent.toml:1") && Catch::Contains("check_interval"));
  }
}

TEST_CASE("a single server may be written as a string", "[config]") {
  auto config = parse_agent_config("servers = \"http://vgls:7070\"", "agent.toml");
  REQUIRE(config);
  CHECK(config->servers == std::vector<std::string>{"http://vgls:7070"});
}

TEST_CASE("a missing default config is no error; a missing named one is", "[config]") {
  vgls::testing::temp_dir dir;
  CHECK(load_agent_config(dir / "absent.toml", true));
  CHECK_FALSE(load_agent_config(dir / "absent.toml", false));
  vgls::testing::write_file(dir / "agent.toml", "edition = \"vPC\"\n");
  auto config = load_agent_config(dir / "agent.toml", false);
  REQUIRE(config);
  CHECK(config->edition == "vPC");
}

namespace {

std::variant<command_line, int> parse(std::vector<const char*> args) {
  std::ostringstream out;
  std::ostringstream err;
  args.insert(args.begin(), "vgls-agent");
  return parse_command_line(static_cast<int>(args.size()), args.data(), out, err);
}

}  // namespace

TEST_CASE("flags override the file, before or after the command", "[config][cli]") {
  auto parsed = parse({"--server", "http://a:1", "run", "--server", "http://b:2", "--edition",
                       "vcs", "--client-id", "vm-1", "--state-dir", "/tmp/s", "--json"});
  REQUIRE(std::holds_alternative<command_line>(parsed));
  const auto& flags = std::get<command_line>(parsed);
  CHECK(flags.command == command::run);
  CHECK(flags.json);

  auto config = parse_agent_config(
      "servers = [\"http://file:1\"]\nedition = \"vWS\"\nstate_dir = \"/var/x\"\n", "agent.toml");
  REQUIRE(config);
  apply_overrides(flags, *config);
  CHECK(config->servers == std::vector<std::string>{"http://a:1", "http://b:2"});
  CHECK(config->edition == "vcs");
  CHECK(config->client_id == "vm-1");
  CHECK(config->state_dir == "/tmp/s");
}

TEST_CASE("a profile on the command line wins over an edition in the file", "[config][cli]") {
  auto parsed = parse({"checkout", "--vgpu-profile", "A100-4C"});
  REQUIRE(std::holds_alternative<command_line>(parsed));
  agent_config config;
  config.edition = "vWS";
  apply_overrides(std::get<command_line>(parsed), config);
  CHECK_FALSE(config.edition);
  CHECK(config.vgpu_profile == "A100-4C");
}

TEST_CASE("a bad command line exits 2, --help exits 0", "[cli]") {
  CHECK(std::get<int>(parse({})) == 2);
  CHECK(std::get<int>(parse({"bogus"})) == 2);
  CHECK(std::get<int>(parse({"status", "--no-such-flag"})) == 2);
  CHECK(std::get<int>(parse({"--help"})) == 0);
}

TEST_CASE("the sample config/agent.toml is valid", "[config]") {
  auto config = load_agent_config(VGLS_SAMPLE_AGENT_CONFIG, false);
  INFO(config.error().message());
  REQUIRE(config);
  CHECK(config->servers.size() == 2);
  CHECK(config->client_id == "auto");
  CHECK(config->vgpu_profile == "auto");
}

TEST_CASE("an unknown key suggests the nearest and lists the known ones", "[config]") {
  auto config = parse_agent_config("server = \"http://a:1\"\n", "agent.toml");
  REQUIRE_FALSE(config);
  CHECK(config.error().message().find("agent.toml:1: server: unknown key at the top level (did "
                                      "you mean servers?); known keys: servers, edition,") == 0);
}

TEST_CASE("the agent takes the server's log levels, and paths that are not empty", "[config]") {
  for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    INFO(level);
    auto config = parse_agent_config("log_level = \"" + std::string(level) + "\"", "agent.toml");
    REQUIRE(config);
    CHECK(config->log_level == level);
  }
  auto bad = parse_agent_config("log_level = \"verbose\"", "agent.toml");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message(),
             Catch::Contains("agent.toml:1: log_level: must be one of trace, debug, info, warn, "
                             "error, critical, off"));
  auto empty = parse_agent_config("\n\nstate_dir = \"\"", "agent.toml");
  REQUIRE_FALSE(empty);
  CHECK_THAT(empty.error().message(), Catch::StartsWith("agent.toml:3: state_dir: must be a path"));
  CHECK(std::holds_alternative<command_line>(parse({"status", "--log-level", "critical"})));
  CHECK(std::get<int>(parse({"status", "--log-level", "verbose"})) == 2);
}

TEST_CASE("labels are a table of strings, each error naming its label", "[config]") {
  auto config = parse_agent_config("[labels]\npool = \"cad\"\nrack = 7\n", "agent.toml");
  REQUIRE_FALSE(config);
  CHECK(config.error().message() == "agent.toml:3: labels.rack: must be a string");
  config = parse_agent_config("labels = \"cad\"\n", "agent.toml");
  REQUIRE_FALSE(config);
  CHECK_THAT(config.error().message(), Catch::StartsWith("agent.toml:1: labels: must be a table"));
}
