#include "tests/agent/agent_fixture.h"

#include <signal.h>

#include <stdexcept>

namespace vgls::testing {

std::string fast_leases_config(int duration_seconds, bool trial) {
  return "[leases]\nduration = \"" + std::to_string(duration_seconds) +
         "s\"\nrenew_fraction = 0.25\n\n[trial]\nenabled = " + (trial ? "true" : "false") + "\n";
}

agent_options agent_for(std::vector<std::string> servers, std::string client_id,
                        std::string edition) {
  agent_options options;
  options.servers = std::move(servers);
  options.client_id = std::move(client_id);
  options.edition = std::move(edition);
  return options;
}

vglsd_options server_options(std::string config_toml, bool start) {
  vglsd_options options;
  options.config_toml = std::move(config_toml);
  options.start = start;
  return options;
}

agent_process::agent_process(agent_options options)
    : options_(std::move(options)), dir_("vgls-agent-test") {
  config_file_ = dir_ / "agent.toml";
  state_dir_ = dir_ / "state";
  // Short retries and a quick stop keep the tests fast; everything else is the agent's default.
  write_file(config_file_, "retry_max_seconds = " + std::to_string(options_.retry_max_seconds) +
                               "\nconnect_timeout_seconds = 2\n"
                               "request_timeout_seconds = 5\nstop_timeout_seconds = 3\n"
                               "log_level = \"debug\"\n" +
                               options_.extra_config);
}

agent_process::~agent_process() {
  if (process_ && process_->running()) {
    stop(std::chrono::seconds(10));
  }
}

std::vector<std::string> agent_process::common_args() const {
  std::vector<std::string> args = {"--config", config_file_.string(), "--state-dir",
                                   state_dir_.string()};
  if (!options_.client_id.empty()) {
    args.insert(args.end(), {"--client-id", options_.client_id});
  }
  if (!options_.edition.empty()) {
    args.insert(args.end(), {"--edition", options_.edition});
  }
  for (const auto& server : options_.servers) {
    args.insert(args.end(), {"--server", server});
  }
  return args;
}

void agent_process::start() {
  if (std::string(VGLS_AGENT_BIN).empty()) {
    throw std::runtime_error("vgls-agent was not built");
  }
  std::vector<std::string> argv = {VGLS_AGENT_BIN, "run"};
  const auto args = common_args();
  argv.insert(argv.end(), args.begin(), args.end());
  ++starts_;
  process_ = std::make_unique<child_process>(
      argv, dir_ / ("agent-" + std::to_string(starts_) + ".log"), options_.env);
}

std::optional<int> agent_process::stop(std::chrono::milliseconds timeout, int signal) {
  if (!process_) {
    return std::nullopt;
  }
  process_->send_signal(signal);
  return process_->wait_for_exit(timeout);
}

void agent_process::kill9() {
  if (process_) {
    process_->kill();
  }
}

run_result agent_process::command(const std::string& command, std::vector<std::string> args) const {
  std::vector<std::string> argv = {VGLS_AGENT_BIN, command, "--json"};
  const auto common = common_args();
  argv.insert(argv.end(), common.begin(), common.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, generous);
}

nlohmann::json agent_process::status() const {
  auto result = command("status");
  // The JSON document is the output from its first brace; logs, if any, come before it.
  const auto start = result.output.find('{');
  if (start == std::string::npos) {
    return nullptr;
  }
  auto j = nlohmann::json::parse(result.output.substr(start), nullptr, false);
  return j.is_discarded() ? nlohmann::json(nullptr) : j;
}

std::vector<nlohmann::json> active_leases(const vglsd_process& server,
                                          const std::string& client_id) {
  auto admin = server.admin_client();
  auto answer = call_json(*admin, "GET", "/v1/leases?client_id=" + client_id);
  if (answer.status != 200 || !answer.body.contains("leases")) {
    throw std::runtime_error("GET /v1/leases answered " + std::to_string(answer.status) + ": " +
                             answer.raw.body);
  }
  return answer.body["leases"].get<std::vector<nlohmann::json>>();
}

std::optional<std::string> active_lease_id(const vglsd_process& server,
                                           const std::string& client_id) {
  const auto leases = active_leases(server, client_id);
  if (leases.empty()) {
    return std::nullopt;
  }
  return leases.front()["id"].get<std::string>();
}

int pool_used(const vglsd_process& server, const std::string& pool_id) {
  auto admin = server.admin_client();
  auto answer = call_json(*admin, "GET", "/v1/pools/" + pool_id);
  if (answer.status != 200) {
    return -1;
  }
  return answer.body["pool"]["used"].get<int>();
}

bool create_pool(const vglsd_process& server, const std::string& id, const std::string& edition,
                 int seats) {
  auto admin = server.admin_client();
  auto answer =
      call_json(*admin, "POST", "/v1/pools",
                {{"id", id}, {"edition", edition}, {"seats", seats}, {"kind", "perpetual"}});
  return answer.status == 201;
}

}  // namespace vgls::testing
