// End-to-end fixtures for the agent: a real vgls-agent process with its own config, state dir and
// log, and admin views of a real vglsd (the leases a client holds, a pool's use). Not
// thread-safe.
#pragma once

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/vglsd_process.h"

namespace vgls::testing {

// Long enough for any condition a test waits on; the waits end as soon as it holds.
inline constexpr std::chrono::milliseconds generous{30000};

// A vglsd config with short leases: `duration_seconds` long, renewed every quarter of that.
// `trial = false` starts with no pools at all.
std::string fast_leases_config(int duration_seconds = 4, bool trial = true);

struct agent_options {
  std::vector<std::string> servers;
  std::string client_id = "vm-1";
  std::string edition = "vWS";
  std::map<std::string, std::string> env;
  int retry_max_seconds = 1;
  // Appended to the agent's TOML config (after short retry and timeout settings).
  std::string extra_config;
};

agent_options agent_for(std::vector<std::string> servers, std::string client_id,
                        std::string edition = "vWS");

// A vglsd with this config, started now or (with `start = false`) when the test says so.
vglsd_options server_options(std::string config_toml, bool start = true);

class agent_process {
 public:
  // Writes the config; `start()` runs `vgls-agent run`.
  explicit agent_process(agent_options options);
  ~agent_process();
  agent_process(const agent_process&) = delete;
  agent_process& operator=(const agent_process&) = delete;

  void start();
  // SIGTERM (or `signal`), then the exit status (nullopt when it did not exit within `timeout`).
  std::optional<int> stop(std::chrono::milliseconds timeout = generous, int signal = SIGTERM);
  void kill9();
  bool running() { return process_ && process_->running(); }

  // `vgls-agent <command> --config … --json` (plus `args`) run to completion.
  run_result command(const std::string& command, std::vector<std::string> args = {}) const;
  // `status --json`, parsed; null when the output is not JSON.
  nlohmann::json status() const;

  std::string log() const { return process_ ? process_->output() : std::string(); }
  const std::filesystem::path& state_dir() const { return state_dir_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  const agent_options& options() const { return options_; }

 private:
  std::vector<std::string> common_args() const;

  agent_options options_;
  temp_dir dir_;
  std::filesystem::path config_file_;
  std::filesystem::path state_dir_;
  int starts_ = 0;
  std::unique_ptr<child_process> process_;
};

// The active leases of a client, as the admin API lists them.
std::vector<nlohmann::json> active_leases(const vglsd_process& server,
                                          const std::string& client_id);
// The id of the one active lease of a client; nullopt when it holds none.
std::optional<std::string> active_lease_id(const vglsd_process& server,
                                           const std::string& client_id);
// GET /v1/pools/{id} "used"; -1 when the pool cannot be read.
int pool_used(const vglsd_process& server, const std::string& pool_id);
// POST /v1/pools for a perpetual pool; true when created.
bool create_pool(const vglsd_process& server, const std::string& id, const std::string& edition,
                 int seats);

}  // namespace vgls::testing
