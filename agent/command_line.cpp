#include "agent/command_line.h"

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "agent/exit_codes.h"
#include "config_support/log_levels.h"

namespace vgls::agent {

std::variant<command_line, int> parse_command_line(int argc, const char* const* argv,
                                                   std::ostream& out, std::ostream& err) {
  CLI::App app{"vgls-agent: checks out and holds a vGPU license seat for this VM"};
  app.name("vgls-agent");
  // Options given after the command belong to the program, not to the command.
  app.fallthrough();
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("vgls-agent ") + VGLS_VERSION);

  command_line flags;
  std::string config_file;
  std::string edition;
  std::string profile;
  std::string client_id;
  std::string state_dir;
  std::string log_level;
  app.add_option("--config", config_file,
                 "config file (default " + std::string(default_config_path) + ")");
  app.add_option("--server", flags.servers, "server URL; repeat for failover (replaces servers)")
      ->take_all();
  app.add_option("--edition", edition, "edition to check out: vApp, vPC, vWS or vCS");
  app.add_option("--vgpu-profile", profile, "vGPU profile, or \"auto\" to ask nvidia-smi");
  app.add_option("--client-id", client_id, "client id, or \"auto\" (DMI UUID, else machine-id)");
  app.add_option("--state-dir", state_dir, "where the held lease is kept");
  app.add_option("--log-level", log_level, std::string(config::log_level_list))
      ->check(CLI::IsMember(
          std::vector<std::string>(config::log_levels.begin(), config::log_levels.end())));
  app.add_flag("--json", flags.json, "machine-readable output (checkout, release, status)");

  auto* run =
      app.add_subcommand("run", "the service: check out, hold and renew a seat until stopped");
  auto* checkout = app.add_subcommand("checkout", "check out once (each server tried once)");
  auto* release = app.add_subcommand("release", "release the held lease once");
  auto* status =
      app.add_subcommand("status", "show the held lease; exit 0 when licensed, 1 if not");
  status->add_flag("--verify", flags.verify,
                   "exit 0 only when the lease token verifies with the trusted keys, names this "
                   "client, and has not run out by this machine's own clock");
  auto* token = app.add_subcommand(
      "token", "print the held lease token (a JWS) for applications to check; exit 1 if none");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? exit_code::ok : exit_code::usage;
  }

  if (run->parsed()) {
    flags.command = command::run;
  } else if (checkout->parsed()) {
    flags.command = command::checkout;
  } else if (release->parsed()) {
    flags.command = command::release;
  } else if (status->parsed()) {
    flags.command = command::status;
  } else if (token->parsed()) {
    flags.command = command::token;
  }
  const auto set = [&](const char* name, std::string& value, std::optional<std::string>& into) {
    if (app.count(name) > 0) {
      into = value;
    }
  };
  set("--config", config_file, flags.config_file);
  set("--edition", edition, flags.edition);
  set("--vgpu-profile", profile, flags.vgpu_profile);
  set("--client-id", client_id, flags.client_id);
  set("--state-dir", state_dir, flags.state_dir);
  set("--log-level", log_level, flags.log_level);
  return flags;
}

void apply_overrides(const command_line& flags, agent_config& config) {
  if (!flags.servers.empty()) {
    config.servers = flags.servers;
  }
  if (flags.edition) {
    config.edition = flags.edition;
  }
  if (flags.vgpu_profile) {
    config.vgpu_profile = flags.vgpu_profile;
    // A profile given on the command line is the request; an edition from the file would
    // otherwise silently win over it.
    if (!flags.edition) {
      config.edition.reset();
    }
  }
  if (flags.client_id) {
    config.client_id = *flags.client_id;
  }
  if (flags.state_dir) {
    config.state_dir = *flags.state_dir;
  }
  if (flags.log_level) {
    config.log_level = *flags.log_level;
  }
}

}  // namespace vgls::agent
