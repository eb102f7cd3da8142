#include "agent/agent_config.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "protocol/time.h"

namespace vgls::agent {

namespace {

using protocol::status;

// "agent.toml:7: retry_max_seconds: must be an integer from 1 to 3600".
status bad_key(std::string_view source, const toml::node& node, std::string_view key,
               std::string_view problem) {
  std::string where(source);
  where += ':';
  where += std::to_string(node.source().begin.line);
  return status::invalid(std::string(key),
                         where + ": " + std::string(key) + ": " + std::string(problem));
}

status read_string(std::string_view source, const toml::node& node, std::string_view key,
                   std::string& out) {
  const auto* value = node.as_string();
  if (value == nullptr) {
    return bad_key(source, node, key, "must be a string");
  }
  out = value->get();
  return status::ok();
}

status read_optional_string(std::string_view source, const toml::node& node, std::string_view key,
                            std::optional<std::string>& out) {
  std::string text;
  if (auto s = read_string(source, node, key, text); !s) {
    return s;
  }
  out = std::move(text);
  return status::ok();
}

status read_int(std::string_view source, const toml::node& node, std::string_view key, int low,
                int high, int& out) {
  const auto* value = node.as_integer();
  if (value == nullptr || value->get() < low || value->get() > high) {
    return bad_key(
        source, node, key,
        "must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
  }
  out = static_cast<int>(value->get());
  return status::ok();
}

status read_duration(std::string_view source, const toml::node& node, std::string_view key,
                     std::int64_t low, std::int64_t high, std::int64_t& out) {
  const auto* text = node.as_string();
  const auto seconds = text == nullptr ? std::nullopt : protocol::parse_duration(text->get());
  if (!seconds) {
    return bad_key(source, node, key, "must be a duration string such as \"30s\", \"5m\", \"1h\"");
  }
  if (*seconds < low || *seconds > high) {
    return bad_key(source, node, key,
                   "must be from " + protocol::format_duration(low) + " to " +
                       protocol::format_duration(high));
  }
  out = *seconds;
  return status::ok();
}

status read_servers(std::string_view source, const toml::node& node,
                    std::vector<std::string>& out) {
  out.clear();
  if (const auto* one = node.as_string()) {
    out.push_back(one->get());
    return status::ok();
  }
  const auto* list = node.as_array();
  if (list == nullptr) {
    return bad_key(source, node, "servers", "must be a list of URLs, e.g. [\"http://vgls1:7070\"]");
  }
  for (const auto& item : *list) {
    const auto* url = item.as_string();
    if (url == nullptr) {
      return bad_key(source, item, "servers", "every entry must be a URL string");
    }
    out.push_back(url->get());
  }
  return status::ok();
}

status read_labels(std::string_view source, const toml::node& node, protocol::labels& out) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    return bad_key(source, node, "labels", "must be a table of strings, e.g. { pool = \"cad\" }");
  }
  out.clear();
  for (const auto& [name, value] : *table) {
    const auto* text = value.as_string();
    if (text == nullptr) {
      return bad_key(source, value, "labels." + std::string(name.str()), "must be a string");
    }
    out.emplace(std::string(name.str()), text->get());
  }
  return status::ok();
}

status read_log_level(std::string_view source, const toml::node& node, std::string& out) {
  std::string level;
  if (auto s = read_string(source, node, "log_level", level); !s) {
    return s;
  }
  if (level != "trace" && level != "debug" && level != "info" && level != "warn" &&
      level != "error") {
    return bad_key(source, node, "log_level", "must be one of trace, debug, info, warn, error");
  }
  out = std::move(level);
  return status::ok();
}

status read_key(std::string_view source, std::string_view key, const toml::node& node,
                agent_config& config) {
  if (key == "servers")
    return read_servers(source, node, config.servers);
  if (key == "edition")
    return read_optional_string(source, node, key, config.edition);
  if (key == "vgpu_profile")
    return read_optional_string(source, node, key, config.vgpu_profile);
  if (key == "client_id")
    return read_string(source, node, key, config.client_id);
  if (key == "client_token_file") {
    return read_optional_string(source, node, key, config.client_token_file);
  }
  if (key == "ca_file")
    return read_optional_string(source, node, key, config.ca_file);
  if (key == "trusted_keys_file")
    return read_optional_string(source, node, key, config.trusted_keys_file);
  if (key == "state_dir")
    return read_string(source, node, key, config.state_dir);
  if (key == "hostname")
    return read_optional_string(source, node, key, config.hostname);
  if (key == "labels")
    return read_labels(source, node, config.labels);
  if (key == "retry_max_seconds") {
    return read_int(source, node, key, 1, 3600, config.retry_max_seconds);
  }
  if (key == "connect_timeout_seconds") {
    return read_int(source, node, key, 1, 300, config.connect_timeout_seconds);
  }
  if (key == "request_timeout_seconds") {
    return read_int(source, node, key, 1, 600, config.request_timeout_seconds);
  }
  if (key == "stop_timeout_seconds") {
    return read_int(source, node, key, 1, 60, config.stop_timeout_seconds);
  }
  if (key == "check_interval") {
    return read_duration(source, node, key, 1, 86400, config.check_interval_seconds);
  }
  if (key == "log_level")
    return read_log_level(source, node, config.log_level);
  // A misspelt key silently ignored would leave a VM unlicensed for no visible reason.
  return bad_key(source, node, key, "unknown key (see docs/agent.md for the keys)");
}

}  // namespace

protocol::result<agent_config> parse_agent_config(std::string_view text, std::string_view source) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return status::invalid({}, std::string(source) + ":" + std::to_string(e.source().begin.line) +
                                   ": " + std::string(e.description()));
  }
  agent_config config;
  for (const auto& [key, node] : table) {
    if (auto s = read_key(source, key.str(), node, config); !s) {
      return s;
    }
  }
  return config;
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
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return status::invalid({}, path.string() + ": cannot read the config file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_agent_config(text.str(), path.string());
}

}  // namespace vgls::agent
