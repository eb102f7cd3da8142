#include "agent/agent_settings.h"

#include <fstream>
#include <sstream>

#include "protocol/edition.h"
#include "protocol/validation.h"

namespace vgls::agent {

namespace {

using protocol::status;

bool is_auto(const std::optional<std::string>& value) {
  return value && *value == auto_value;
}

protocol::result<std::string> read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return status::invalid("client_token_file",
                           "client_token_file: cannot read " + path + " (missing or no access)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) {
    return status::invalid("client_token_file", "client_token_file: " + path + " is empty");
  }
  return token;
}

status resolve_servers(const agent_config& config, agent_settings& settings) {
  if (config.servers.empty()) {
    return status::invalid("servers",
                           "no server configured: set servers = [\"http://HOST:7070\"] in the "
                           "config or pass --server URL");
  }
  for (const auto& text : config.servers) {
    std::string why;
    auto url = client::parse_server_url(text, &why);
    if (!url) {
      return status::invalid("servers", "server " + text + ": " + why);
    }
    settings.servers.push_back(std::move(*url));
  }
  return status::ok();
}

// The edition to ask for and the profile to report, from `edition`, else `vgpu_profile`.
status resolve_edition(const agent_config& config, const identity_sources& sources,
                       protocol::checkout_request& request) {
  std::optional<std::string> profile = config.vgpu_profile;
  if (is_auto(profile)) {
    profile = detect_vgpu_profile(sources);
  }
  if (profile && profile->size() > protocol::max_vgpu_profile_bytes) {
    profile.reset();
  }
  if (config.edition && !config.edition->empty() && *config.edition != auto_value) {
    const auto edition = protocol::parse_edition(*config.edition);
    if (!edition) {
      return status::invalid("edition",
                             "edition \"" + *config.edition +
                                 "\" is not one of vApp, vPC, vWS, vCS (or a SPEC alias)");
    }
    request.requested_edition = *edition;
    request.vgpu_profile = profile;
    return status::ok();
  }
  if (!profile) {
    return status::invalid(
        "edition", is_auto(config.vgpu_profile)
                       ? "no edition configured and nvidia-smi reports no vGPU profile (is the "
                         "NVIDIA guest driver installed?): set edition = \"vWS\" (or vApp, vPC, "
                         "vCS) or vgpu_profile in the config, or pass --edition"
                       : "neither edition nor vgpu_profile is configured: set one of them");
  }
  const auto edition = protocol::edition_from_profile(*profile);
  if (!edition) {
    return status::invalid("vgpu_profile",
                           "vGPU profile \"" + *profile +
                               "\" names no edition (its last letter must be A, B, C or Q): set "
                               "edition in the config or pass --edition");
  }
  request.requested_edition = *edition;
  request.vgpu_profile = profile;
  return status::ok();
}

status resolve_identity(const agent_config& config, const identity_sources& sources,
                        protocol::checkout_request& request) {
  if (config.client_id == auto_value) {
    auto id = detect_client_id(sources);
    if (!id) {
      return id.error();
    }
    request.client_id = std::move(id).value();
  } else if (protocol::is_valid_client_id(config.client_id)) {
    request.client_id = config.client_id;
  } else {
    return status::invalid("client_id", "client_id \"" + config.client_id +
                                            "\": must be 1-128 characters of A-Z a-z 0-9 . _ : -");
  }
  if (auto s = resolve_edition(config, sources, request); !s) {
    return s;
  }
  request.hostname = config.hostname ? config.hostname : system_hostname();
  if (request.hostname && request.hostname->size() > protocol::max_hostname_bytes) {
    request.hostname->resize(protocol::max_hostname_bytes);
  }
  if (config.labels.size() > protocol::max_labels) {
    return status::invalid("labels", "labels: at most 16 pairs");
  }
  for (const auto& [name, value] : config.labels) {
    if (name.size() > protocol::max_label_bytes || value.size() > protocol::max_label_bytes) {
      return status::invalid("labels",
                             "labels." + name + ": names and values are at most 64 bytes");
    }
  }
  request.labels = config.labels;
  return status::ok();
}

}  // namespace

protocol::result<agent_settings> resolve_settings(const agent_config& config, resolve_scope scope,
                                                  const identity_sources& sources) {
  agent_settings settings;
  settings.state_dir = config.state_dir;
  settings.retry_max = std::chrono::seconds(config.retry_max_seconds);
  settings.stop_timeout = std::chrono::seconds(config.stop_timeout_seconds);
  settings.check_interval = std::chrono::seconds(config.check_interval_seconds);
  settings.client_options.connect_timeout = std::chrono::seconds(config.connect_timeout_seconds);
  settings.client_options.request_timeout = std::chrono::seconds(config.request_timeout_seconds);
  settings.client_options.ca_file = config.ca_file;
  if (config.trusted_keys_file)
    settings.trusted_keys_file = *config.trusted_keys_file;
  if (config.client_token_file) {
    auto token = read_token(*config.client_token_file);
    if (!token) {
      return token.error();
    }
    settings.client_options.bearer_token = std::move(token).value();
  }
  if (auto s = resolve_servers(config, settings); !s) {
    return s;
  }
  if (scope == resolve_scope::checkout) {
    if (auto s = resolve_identity(config, sources, settings.checkout); !s) {
      return s;
    }
  }
  return settings;
}

}  // namespace vgls::agent
