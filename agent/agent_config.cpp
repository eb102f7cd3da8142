#include "agent/agent_config.h"

#include <system_error>

#include "config_support/config_file.h"

namespace vgls::agent {

namespace {

using config::assign;
using config::config_value;
using protocol::status;

status read_labels(const config_value& value, protocol::labels& out) {
  auto table = value.table();
  if (!table) {
    return value.error("must be a table of strings, e.g. { pool = \"cad\" }");
  }
  out.clear();
  for (const auto& label : table->entries()) {
    auto text = label.string();
    if (!text) {
      return text.error();
    }
    out.emplace(label.key().substr(value.key().size() + 1), std::move(*text));
  }
  return status::ok();
}

// The keys of agent.toml (SPEC §4, and the knobs of docs/agent.md).
std::vector<config::key_rule> agent_keys(agent_config& c) {
  return {
      {"servers", [&](const config_value& v) { return assign(v.string_list(), c.servers); }},
      {"edition", [&](const config_value& v) { return assign(v.string(), c.edition); }},
      {"vgpu_profile", [&](const config_value& v) { return assign(v.string(), c.vgpu_profile); }},
      {"client_id", [&](const config_value& v) { return assign(v.string(), c.client_id); }},
      {"client_token_file",
       [&](const config_value& v) { return assign(v.path(), c.client_token_file); }},
      {"ca_file", [&](const config_value& v) { return assign(v.path(), c.ca_file); }},
      {"trusted_keys_file",
       [&](const config_value& v) { return assign(v.path(), c.trusted_keys_file); }},
      {"state_dir", [&](const config_value& v) { return assign(v.path(), c.state_dir); }},
      {"hostname", [&](const config_value& v) { return assign(v.string(), c.hostname); }},
      {"labels", [&](const config_value& v) { return read_labels(v, c.labels); }},
      {"retry_max_seconds",
       [&](const config_value& v) { return assign(v.integer(1, 3600), c.retry_max_seconds); }},
      {"connect_timeout_seconds",
       [&](const config_value& v) { return assign(v.integer(1, 300), c.connect_timeout_seconds); }},
      {"request_timeout_seconds",
       [&](const config_value& v) { return assign(v.integer(1, 600), c.request_timeout_seconds); }},
      {"stop_timeout_seconds",
       [&](const config_value& v) { return assign(v.integer(1, 60), c.stop_timeout_seconds); }},
      {"check_interval",
       [&](const config_value& v) {
         return assign(v.duration(1, 86400), c.check_interval_seconds);
       }},
      {"log_level", [&](const config_value& v) { return assign(v.log_level(), c.log_level); }},
  };
}

protocol::result<agent_config> read_agent_config(const config::config_document& document) {
  agent_config config;
  // A misspelt key silently ignored would leave a VM unlicensed for no visible reason.
  if (auto s = config::read_keys(document.root(), agent_keys(config)); !s) {
    return s;
  }
  return config;
}

}  // namespace

protocol::result<agent_config> parse_agent_config(std::string_view text, std::string_view source) {
  auto document = config::config_document::parse(text, std::string(source));
  if (!document) {
    return document.error();
  }
  return read_agent_config(*document);
}

protocol::result<agent_config> load_agent_config(const std::filesystem::path& path,
                                                 bool missing_ok) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (missing_ok) {
      return agent_config{};
    }
    return status::invalid({}, path.string() + ": no such config file");
  }
  auto document = config::config_document::load(path);
  if (!document) {
    return document.error();
  }
  return read_agent_config(*document);
}

}  // namespace vgls::agent
