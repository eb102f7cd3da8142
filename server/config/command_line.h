// vglsd's command line (SPEC §3): flags override the configuration file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "protocol/status.h"
#include "server/config/server_config.h"

namespace vgls::server {

struct command_line {
  std::optional<std::filesystem::path> config_file;
  std::optional<std::string> listen;
  std::optional<std::filesystem::path> data_dir;
  std::optional<std::string> log_level;
  bool check_config = false;
  // --import-sqlite PATH: copy that SQLite installation into the configured PostgreSQL database.
  std::optional<std::filesystem::path> import_sqlite;
  bool version = false;
};

// Parses argv. When the result has no value, `exit_code` says how to exit (0 after --help, 2 for
// a bad command line) and the parser has already printed what it had to say.
std::optional<command_line> parse_command_line(int argc, const char* const* argv, int& exit_code);

// Applies the flags that were given over `config`; an error names the flag.
protocol::status apply_overrides(const command_line& flags, server_config& config);

}  // namespace vgls::server
