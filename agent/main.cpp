// vgls-agent: assembles the configuration and hands over to one command. Logs go to stderr
// (the journal, under systemd); command output goes to stdout.
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <exception>
#include <iostream>

#include "agent/agent_config.h"
#include "agent/agent_service.h"
#include "agent/agent_settings.h"
#include "agent/client_identity.h"
#include "agent/command_line.h"
#include "agent/exit_codes.h"
#include "agent/instance_lock.h"
#include "agent/key_pins.h"
#include "agent/logging.h"
#include "agent/one_shot.h"
#include "agent/status_command.h"
#include "agent/stop_signal.h"
#include "agent/systemd_notifier.h"

namespace {

using namespace vgls::agent;

int run_command(const command_line& flags) {
  const bool explicit_config = flags.config_file.has_value();
  const std::string path = explicit_config ? *flags.config_file : std::string(default_config_path);
  auto loaded = load_agent_config(path, !explicit_config);
  if (!loaded) {
    std::cerr << "vgls-agent: " << loaded.error().message() << "\n";
    return exit_code::usage;
  }
  agent_config config = std::move(loaded).value();
  apply_overrides(flags, config);
  set_up_logging(config.log_level);

  if (flags.command == command::status && !flags.verify) {
    return show_status(config.state_dir, flags.json, std::cout);
  }
  if (flags.command == command::token) {
    return print_token(config.state_dir, std::cout, std::cerr);
  }
  if (flags.command == command::status) {
    const key_pins pins(config.state_dir,
                        config.trusted_keys_file
                            ? std::optional<std::filesystem::path>(*config.trusted_keys_file)
                            : std::nullopt);
    std::string client_id = config.client_id;
    if (client_id == "auto") {
      auto detected = detect_client_id({});
      if (!detected) {
        std::cerr << "vgls-agent: " << detected.error().message() << "\n";
        return exit_code::refused;
      }
      client_id = std::move(detected).value();
    }
    return verify_status(config.state_dir, pins, client_id, flags.json, std::cout);
  }
  // Blocked before anything else runs, so a stop signal during start-up waits to be handled.
  std::optional<stop_signal> stop;
  if (flags.command == command::run) {
    stop.emplace();
  }
  const auto scope =
      flags.command == command::release ? resolve_scope::servers : resolve_scope::checkout;
  auto settings = resolve_settings(config, scope);
  if (!settings) {
    spdlog::error("cannot start: {}", settings.error().message());
    return exit_code::usage;
  }
  switch (flags.command) {
    case command::checkout:
      return check_out_once(*settings, flags.json, std::cout, std::cerr);
    case command::release:
      return release_once(*settings, flags.json, std::cout, std::cerr);
    case command::run: {
      auto lock = instance_lock::acquire(settings->state_dir);
      if (!lock) {
        spdlog::error("cannot start: {}", lock.error().message());
        return exit_code::usage;
      }
      systemd_notifier notifier;
      agent_service service(std::move(settings).value(), *stop, notifier);
      return service.run();
    }
    case command::status:
    case command::token:
      break;
  }
  return exit_code::ok;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    auto parsed = parse_command_line(argc, argv, std::cout, std::cerr);
    if (const int* code = std::get_if<int>(&parsed)) {
      return *code;
    }
    return run_command(std::get<command_line>(parsed));
  } catch (const std::exception& e) {
    // A bug or the OS failing (out of memory, no signalfd); systemd restarts the service.
    std::cerr << "vgls-agent: fatal: " << e.what() << "\n";
    return 70;
  }
}
