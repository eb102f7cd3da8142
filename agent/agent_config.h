// The agent's configuration (SPEC §4): what a TOML file such as /etc/vgls/agent.toml says, before
// command-line flags override it. Loading never throws: a bad file is a status whose message
// names the file, the line and the key, so the operator can fix it. Plain values; not synchronised.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/lease.h"
#include "protocol/status.h"

namespace vgls::agent {

inline constexpr std::string_view default_config_path = "/etc/vgls/agent.toml";
inline constexpr std::string_view auto_value = "auto";

struct agent_config {
  // Tried in order; the agent fails over to the next one.
  std::vector<std::string> servers;
  // A SPEC edition name or alias; wins over the profile when both are set.
  std::optional<std::string> edition;
  // A vGPU profile name, or "auto" to ask nvidia-smi. Used when no edition is set.
  std::optional<std::string> vgpu_profile = std::string(auto_value);
  // "auto": the DMI product UUID, else /etc/machine-id.
  std::string client_id = std::string(auto_value);
  std::optional<std::string> client_token_file;
  std::optional<std::string> ca_file;
  // SPEC §8: a JWKS of the keys to trust for lease tokens, instead of pinning on first use.
  std::optional<std::string> trusted_keys_file;
  std::string state_dir = "/var/lib/vgls-agent";
  // What the lease records of this VM; the system host name when unset.
  std::optional<std::string> hostname;
  protocol::labels labels;

  // Knobs beyond SPEC §4, documented in docs/agent.md.
  int retry_max_seconds = 60;        // backoff cap
  int connect_timeout_seconds = 3;   // per server, per attempt
  int request_timeout_seconds = 10;  // one request and its answer
  int stop_timeout_seconds = 5;      // the release on SIGTERM, all servers together
  // SPEC §13: how often the running agent asks whether its lease still exists (a revoke or a
  // reclaim is noticed then). `check_interval`, a duration such as "30s" or "5m".
  std::int64_t check_interval_seconds = 300;
  std::string log_level = "info";
};

// Parses TOML text. `source` names the text in error messages (usually the file path).
protocol::result<agent_config> parse_agent_config(std::string_view text, std::string_view source);

// Reads and parses a file. A file that does not exist gives the defaults when `missing_ok`
// (the default path may be absent: flags and defaults serve), and an error otherwise.
protocol::result<agent_config> load_agent_config(const std::filesystem::path& path,
                                                 bool missing_ok);

}  // namespace vgls::agent
