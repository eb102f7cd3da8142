// The command line of vgls-agent (SPEC §4):
//   vgls-agent run | checkout | release | status [--verify] | token [--config FILE] [--server
//   URL]...
//              [--edition E] [--vgpu-profile P] [--client-id ID] [--state-dir DIR] [--json]
//              [--log-level L]
// Options may come before or after the command. Flags override the config file; --server flags
// replace its list. Pure parsing, no I/O beyond the help and error text.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agent/agent_config.h"

namespace vgls::agent {

enum class command { run, checkout, release, status, token };

struct command_line {
  agent::command command = command::status;
  std::optional<std::string> config_file;  // unset: the default path, which may be missing
  std::vector<std::string> servers;
  std::optional<std::string> edition;
  std::optional<std::string> vgpu_profile;
  std::optional<std::string> client_id;
  std::optional<std::string> state_dir;
  std::optional<std::string> log_level;
  bool json = false;
  bool verify = false;  // status --verify
};

// The parsed command line, or the exit code when there is nothing to run: 0 after --help or
// --version (printed to `out`), 2 after a bad command line (explained on `err`).
std::variant<command_line, int> parse_command_line(int argc, const char* const* argv,
                                                   std::ostream& out, std::ostream& err);

// Lays the flags over the file's values.
void apply_overrides(const command_line& flags, agent_config& config);

}  // namespace vgls::agent
