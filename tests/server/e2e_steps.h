// Small shared steps of the server's end-to-end tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/vglsd_process.h"

namespace vgls::testing {

// Options for a vglsd with this TOML config (and a data dir of its own unless one is given).
inline vglsd_options configured(std::string toml,
                                std::optional<std::filesystem::path> data_dir = std::nullopt,
                                bool start = true) {
  vglsd_options options;
  options.config_toml = std::move(toml);
  options.data_dir = std::move(data_dir);
  options.start = start;
  return options;
}

// A config with the trial off and, optionally, more TOML appended.
inline std::string no_trial(const std::string& more = {}) {
  return "[trial]\nenabled = false\n" + more;
}

inline json_response checkout(client::http_client& c, const std::string& client_id,
                              const std::string& edition) {
  return call_json(c, "POST", "/v1/leases",
                   nlohmann::json{{"client_id", client_id}, {"edition", edition}});
}

inline json_response create_pool(client::http_client& admin, const nlohmann::json& pool) {
  return call_json(admin, "POST", "/v1/pools", pool);
}

inline std::string error_code_of(const json_response& r) {
  if (!r.body.is_object() || !r.body.contains("error"))
    return "(no error body)";
  return r.body["error"].value("code", "(no code)");
}

inline std::int64_t used_of(client::http_client& admin, const std::string& pool_id) {
  auto r = call_json(admin, "GET", "/v1/pools/" + pool_id);
  if (r.status != 200)
    return -1;
  return r.body["pool"]["used"].get<std::int64_t>();
}

}  // namespace vgls::testing
