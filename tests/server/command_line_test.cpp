#include "server/config/command_line.h"

#include <catch2/catch.hpp>

using namespace vgls::server;

TEST_CASE("flags override the configuration file", "[command_line]") {
  const char* argv[] = {
      "vglsd",      "--config", "/etc/vgls/vglsd.toml", "--listen", "127.0.0.1:9000",
      "--data-dir", "/tmp/d",   "--log-level",          "debug",    "--check-config"};
  int exit_code = -1;
  auto flags = parse_command_line(10, argv, exit_code);
  REQUIRE(flags);
  CHECK(*flags->config_file == "/etc/vgls/vglsd.toml");
  CHECK(flags->check_config);
  CHECK_FALSE(flags->version);

  auto config = parse_config("[server]\nlisten = \"0.0.0.0:7070\"\ndata_dir = \"/var/lib/vgls\"\n",
                             "vglsd.toml");
  REQUIRE(config.is_ok());
  REQUIRE(apply_overrides(*flags, *config).is_ok());
  CHECK(config->listen.to_string() == "127.0.0.1:9000");
  CHECK(config->data_dir == "/tmp/d");
  CHECK(config->log_level == "debug");
}

TEST_CASE("absent flags leave the file's values", "[command_line]") {
  const char* argv[] = {"vglsd"};
  int exit_code = -1;
  auto flags = parse_command_line(1, argv, exit_code);
  REQUIRE(flags);
  server_config config;
  config.listen.port = 1234;
  REQUIRE(apply_overrides(*flags, config).is_ok());
  CHECK(config.listen.port == 1234);
}

TEST_CASE("an unknown flag or a missing value exits 2", "[command_line]") {
  const char* unknown[] = {"vglsd", "--bogus"};
  int exit_code = -1;
  CHECK_FALSE(parse_command_line(2, unknown, exit_code));
  CHECK(exit_code == 2);
  const char* missing_value[] = {"vglsd", "--listen"};
  exit_code = -1;
  CHECK_FALSE(parse_command_line(2, missing_value, exit_code));
  CHECK(exit_code == 2);
  const char* help[] = {"vglsd", "--help"};
  exit_code = -1;
  CHECK_FALSE(parse_command_line(2, help, exit_code));
  CHECK(exit_code == 0);
}

TEST_CASE("bad flags are refused", "[command_line]") {
  const char* bad_listen[] = {"vglsd", "--listen", "nowhere"};
  int exit_code = -1;
  auto flags = parse_command_line(3, bad_listen, exit_code);
  REQUIRE(flags);
  server_config config;
  auto s = apply_overrides(*flags, config);
  CHECK_FALSE(s.is_ok());
  CHECK(s.field() == "--listen");

  const char* bad_level[] = {"vglsd", "--log-level", "loud"};
  flags = parse_command_line(3, bad_level, exit_code);
  REQUIRE(flags);
  CHECK_FALSE(apply_overrides(*flags, config).is_ok());
}
