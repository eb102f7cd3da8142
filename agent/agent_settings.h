// What the agent works with once its configuration is resolved: parsed server URLs, client
// options (timeouts, CA file, client token), and the checkout request with this VM's client id,
// edition, profile, host name and labels. Resolving reads files (token, DMI, machine id) and may
// run nvidia-smi; every problem is an `invalid_request` status whose message tells the operator
// what to set. Plain values.
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

#include "agent/agent_config.h"
#include "agent/client_identity.h"
#include "client/http_client.h"
#include "protocol/requests.h"
#include "protocol/status.h"

namespace vgls::agent {

struct agent_settings {
  std::vector<client::server_url> servers;
  client::client_options client_options;
  protocol::checkout_request checkout;  // client_time is set at each attempt
  std::filesystem::path state_dir;
  std::optional<std::filesystem::path> trusted_keys_file;
  std::chrono::milliseconds retry_initial{1000};
  std::chrono::milliseconds retry_max{60000};
  std::chrono::milliseconds stop_timeout{5000};
  std::chrono::milliseconds check_interval{300000};  // between lookups of the held lease
};

// What a command needs resolved: `release` talks to servers but asks for no seat, `checkout` and
// `run` need the full identity.
enum class resolve_scope { servers, checkout };

protocol::result<agent_settings> resolve_settings(const agent_config& config, resolve_scope scope,
                                                  const identity_sources& sources = {});

}  // namespace vgls::agent
