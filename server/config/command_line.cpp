#include "server/config/command_line.h"

#include <CLI/CLI.hpp>

#include "config_support/log_levels.h"

namespace vgls::server {

std::optional<command_line> parse_command_line(int argc, const char* const* argv, int& exit_code) {
  command_line flags;
  CLI::App app{"vglsd: the vgls license server for virtual GPU fleets", "vglsd"};
  std::string config_file, listen, data_dir, log_level, import_sqlite;
  app.add_option("--config", config_file, "TOML configuration file (default: embedded defaults)");
  app.add_option("--listen", listen, "HOST:PORT to listen on, over server.listen");
  app.add_option("--data-dir", data_dir, "directory of the database and admin token");
  app.add_option("--log-level", log_level, std::string(config::log_level_list));
  app.add_flag("--check-config", flags.check_config, "check the configuration and exit");
  app.add_option("--import-sqlite", import_sqlite,
                 "copy the SQLite installation in this file (<data_dir>/vgls.db) into the empty "
                 "PostgreSQL database the configuration names, and exit");
  app.add_flag("--version", flags.version, "print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // CLI11's own codes (105, 109, ...) mean nothing to an operator: 0 after --help, else 2.
    exit_code = app.exit(error) == 0 ? 0 : 2;
    return std::nullopt;
  }
  if (!config_file.empty())
    flags.config_file = config_file;
  if (app.count("--listen") > 0)
    flags.listen = listen;
  if (app.count("--data-dir") > 0)
    flags.data_dir = data_dir;
  if (app.count("--log-level") > 0)
    flags.log_level = log_level;
  if (app.count("--import-sqlite") > 0)
    flags.import_sqlite = import_sqlite;
  return flags;
}

protocol::status apply_overrides(const command_line& flags, server_config& config) {
  if (flags.listen) {
    auto address = parse_listen_address(*flags.listen);
    if (!address) {
      return protocol::status::invalid("--listen",
                                       "--listen \"" + *flags.listen + "\" is not HOST:PORT");
    }
    config.listen = *address;
  }
  if (flags.data_dir) {
    if (flags.data_dir->empty()) {
      return protocol::status::invalid("--data-dir", "--data-dir must not be empty");
    }
    config.data_dir = *flags.data_dir;
  }
  if (flags.log_level) {
    if (!config::is_log_level(*flags.log_level)) {
      return protocol::status::invalid(
          "--log-level", "--log-level must be one of " + std::string(config::log_level_list));
    }
    config.log_level = *flags.log_level;
  }
  return {};
}

}  // namespace vgls::server
